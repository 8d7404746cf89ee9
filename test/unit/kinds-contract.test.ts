import { describe, expect, it } from "vitest";
import { planInstall } from "../../src/plan/install.js";
import { fileTool } from "../../src/plan/kinds/file-tool.js";
import { KINDS, PLANNING_ORDER, RESOURCE_TYPES } from "../../src/plan/kinds/index.js";
import type { ResourceKind } from "../../src/plan/kinds/kind.js";
import { plan } from "../../src/plan/plan.js";
import type { ResourceType } from "../../src/plan/types.js";
import { VIEWS } from "../../src/render/kinds/index.js";
import type { KindView } from "../../src/render/kinds/kind.js";
import { planJson, type PlanDocument } from "../../src/render/plan-json.js";
import { renderPlanDocument, renderPlanText } from "../../src/render/plan-text.js";
import { loadPlanCases } from "../helpers/plan-fixtures.js";

/*
 * What the compiler holds every kind to; `npm run typecheck` checks these
 * lines, and fails if any of them stops being an error.
 */

// A kind added to ResourceType without its planner module or its view does not compile.
type Grown = ResourceType | "git.worktree";
// @ts-expect-error: the registry has no planner for git.worktree
export const grownKinds: { readonly [K in Grown]: unknown } = KINDS;
// @ts-expect-error: nor a view
export const grownViews: { readonly [K in Grown]: unknown } = VIEWS;

// A registry entry missing its renderer does not compile.
const { "file.tool": _tool, ...viewsWithoutTool } = VIEWS;
// @ts-expect-error: file.tool has no view
export const missingView: { readonly [K in ResourceType]: KindView<K, object> } = viewsWithoutTool;
// @ts-expect-error: a view without its text rendering
export const noText: KindView<"systemd.manager", { before: null }> = { json: () => ({ before: null }) };

// Nor a kind without its facts or its edges.
const { facts: _facts, ...withoutFacts } = fileTool;
// @ts-expect-error: no facts
export const noFacts: ResourceKind<"file.tool"> = withoutFacts;
const { edges: _edges, ...withoutEdges } = fileTool;
// @ts-expect-error: no edges
export const noEdges: ResourceKind<"file.tool"> = withoutEdges;

const cases = await loadPlanCases();
const plans = cases.map((c) => (c.install ? planInstall(c.observed, c.settings, c.install) : plan(c.desired, c.observed, c.intent, c.settings)));

describe("the resource-kind contract", () => {
  it("every kind has a planner module and a view, and is planned once", () => {
    expect(Object.keys(VIEWS).sort()).toEqual([...RESOURCE_TYPES].sort());
    expect([...PLANNING_ORDER].sort()).toEqual([...RESOURCE_TYPES].sort());
    for (const type of RESOURCE_TYPES) {
      const kind = KINDS[type];
      expect(kind.type).toBe(type);
      for (const stage of [kind.facts, kind.describeFact, kind.plan, kind.edges, kind.phase, VIEWS[type].json, VIEWS[type].text]) expect(typeof stage, type).toBe("function");
      for (const target of kind.dependsOn) expect(RESOURCE_TYPES, `${type} depends on ${target}`).toContain(target);
    }
  });

  it("edges go only to the kinds a kind declares, and before what waits for them", () => {
    let edges = 0;
    for (const p of plans) {
      const position = new Map(p.changes.map((c, i) => [c.address, i]));
      for (const [i, c] of p.changes.entries()) {
        for (const address of c.dependsOn) {
          const target = p.changes[position.get(address)!]!;
          expect(KINDS[c.type].dependsOn, `${c.address} -> ${address}`).toContain(target.type);
          expect(position.get(address)!, `${c.address} -> ${address}`).toBeLessThan(i);
          edges++;
        }
      }
    }
    expect(edges).toBeGreaterThan(50);
  });

  it("every kind has fixtures that render it", () => {
    const rendered = new Set(plans.flatMap((p) => p.changes.filter((c) => c.action !== "noop").map((c) => c.type)));
    expect([...rendered].sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it("the human plan is rendered from the JSON document alone", () => {
    for (const [i, p] of plans.entries()) {
      const document = JSON.parse(JSON.stringify(planJson(p))) as PlanDocument;
      expect(renderPlanDocument(document), cases[i]!.name).toBe(renderPlanText(p));
    }
  });
});
