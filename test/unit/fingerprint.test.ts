import { describe, expect, it } from "vitest";
import type { ObservedFleet } from "../../src/observe/types.js";
import { factHashes, fingerprint, observedFacts } from "../../src/plan/fingerprint.js";
import { planInstall } from "../../src/plan/install.js";
import { KINDS, RESOURCE_TYPES } from "../../src/plan/kinds/index.js";
import { plan } from "../../src/plan/plan.js";
import { hasErrors } from "../../src/plan/predicates.js";
import { comparableChanges, readSavedPlan, savePlan, sealOf, staleness } from "../../src/plan/saved-plan.js";
import { loadPlanCases, type PlanCase } from "../helpers/plan-fixtures.js";

const cases = await loadPlanCases();
const KEY = Buffer.alloc(32, 1);
const SAVE = { mosaicVersion: "0", now: new Date(0), backendChoice: "auto", id: "0".repeat(32), key: KEY } as const;

function planOf(c: PlanCase, observed: ObservedFleet = c.observed) {
  return c.install ? planInstall({ ...c.observed, ...observed }, c.settings, c.install) : plan(c.desired, observed, c.intent, c.settings);
}

/**
 * The observation with one value changed, for every value it holds (a
 * number, a flag, a text; not null, which nothing plausible replaces, nor
 * a file's kind, whose other values would not do), and with each session,
 * unit and file gone in turn.
 */
function* perturbations(observed: ObservedFleet): Generator<[string, ObservedFleet]> {
  const root = JSON.parse(JSON.stringify(observed)) as Record<string, unknown>;
  function* leaves(value: unknown, path: (string | number)[]): Generator<(string | number)[]> {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* leaves(value[i], [...path, i]);
    else if (value !== null && typeof value === "object") for (const key of Object.keys(value)) yield* leaves((value as Record<string, unknown>)[key], [...path, key]);
    else if (value !== null && path.at(-1) !== "kind") yield path;
  }
  const at = (doc: unknown, path: (string | number)[]) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc);
  for (const path of leaves(root, [])) {
    const copy = JSON.parse(JSON.stringify(root)) as Record<string, unknown>;
    const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
    const key = path.at(-1)!;
    const v = parent[key];
    parent[key] = typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : `${String(v)}x`;
    yield [path.join("."), copy as unknown as ObservedFleet];
  }
  for (let i = 0; i < observed.sessions.length; i++) yield [`sessions.${i} gone`, { ...observed, sessions: observed.sessions.filter((_, j) => j !== i) }];
  for (const path of Object.keys(observed.files)) yield [`files.${path} gone`, { ...observed, files: Object.fromEntries(Object.entries(observed.files).filter(([p]) => p !== path)) }];
  for (const unit of Object.keys(observed.systemd?.units ?? {})) {
    yield [`units.${unit} gone`, { ...observed, systemd: { units: Object.fromEntries(Object.entries(observed.systemd!.units).filter(([u]) => u !== unit)) } }];
  }
  yield ["no manager", { ...observed, systemd: observed.systemd === null ? { units: {} } : null }];
}

const sameFacts = (a: ObservedFleet, b: ObservedFleet) => JSON.stringify(observedFacts(a)) === JSON.stringify(observedFacts(b));

describe("the one fingerprint: saved plans, drift and install plans", () => {
  it("is made of the facts every kind declares, and every kind declares some", () => {
    for (const type of RESOURCE_TYPES) expect(typeof KINDS[type].facts, type).toBe("function");
    const declaring = new Set(cases.flatMap((c) => RESOURCE_TYPES.filter((type) => Object.keys(observedFacts(c.observed)[type]).length > 0)));
    expect([...declaring].sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it("changes exactly when a declared fact changes, and a saved plan is stale exactly then", () => {
    let checked = 0;
    for (const c of cases) {
      const before = fingerprint(c.observed);
      const p = planOf(c);
      const saved = c.install ? null : savePlan(p, c.desired, c.observed, SAVE);
      for (const [what, world] of perturbations(c.observed)) {
        const factChanged = !sameFacts(c.observed, world);
        expect(fingerprint(world) !== before, `${c.name}: ${what}`).toBe(factChanged);
        if (saved) expect(staleness(saved, c.desired, world).length > 0, `${c.name}: ${what}`).toBe(factChanged);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it("declares everything the planner reads: equal facts give equal changes", () => {
    // Else a saved plan would pass the staleness check and then be refused for its
    // actions, with a message that blames an edited plan file.
    for (const c of cases.filter((x) => !x.install)) {
      const p = planOf(c);
      if (hasErrors(p)) continue;
      for (const [what, world] of perturbations(c.observed)) {
        if (!sameFacts(c.observed, world)) continue;
        const q = planOf(c, world);
        if (hasErrors(q)) continue;
        expect(comparableChanges(q.changes), `${c.name}: ${what}`).toBe(comparableChanges(p.changes));
      }
    }
  });

  it("leaves out a pane's current command, which the agent changes whenever it runs a tool: a saved plan still applies", () => {
    const c = cases.find((x) => x.name === "spec-changed")!;
    const p = planOf(c);
    const saved = savePlan(p, c.desired, c.observed, SAVE);
    const busy = { ...c.observed, sessions: c.observed.sessions.map((s) => (s.pane ? { ...s, pane: { ...s.pane, currentCommand: "git" } } : s)) };
    expect(busy.sessions.some((s) => s.pane?.currentCommand === "git")).toBe(true);
    expect(staleness(saved, c.desired, busy)).toEqual([]);
    expect(comparableChanges(planOf(c, busy).changes)).toBe(comparableChanges(saved.plan.changes));
    expect(JSON.stringify(planOf(c, busy).changes)).not.toBe(JSON.stringify(saved.plan.changes));
  });

  it("is the one install plans and fleet plans carry", () => {
    for (const c of cases) expect(planOf(c).observedFingerprint, c.name).toBe(fingerprint(c.observed));
  });

  it("names what changed, in each kind's words: a session's roster or a unit's sub-state is staleness, not an edited file", () => {
    const c = cases.find((x) => x.name === "systemd-converged")!;
    const saved = savePlan(planOf(c), c.desired, c.observed, SAVE);
    const holder = c.observed.systemd!.units["mosaic-tmux-holder.service"]!;
    const otherRoster = { ...c.observed, sessions: c.observed.sessions.map((s) => (s.name === "alpha" ? { ...s, rosterId: "r:other" } : s)) };
    const subState = { ...c.observed, systemd: { units: { ...c.observed.systemd!.units, [holder.name]: { ...holder, subState: "running" } } } };
    expect(staleness(saved, c.desired, otherRoster)).toEqual(['session "alpha" changed']);
    expect(staleness(saved, c.desired, subState)).toEqual(['unit "mosaic-tmux-holder.service" changed']);
    expect(staleness(saved, c.desired, { ...c.observed, serverRunning: false, sessions: [] })).toEqual([
      'the tmux server on socket "fleet" stopped',
      ...c.observed.sessions.map((s) => `session ${JSON.stringify(s.name)} is gone`),
    ]);
    expect(staleness(saved, c.desired, { ...c.observed, systemd: null })).toEqual(expect.arrayContaining(['unit "mosaic-tmux-holder.service" is gone', "the systemd user manager no longer answers"]));
  });

  it("a saved plan whose facts do not hash to its fingerprint is refused as damaged, even sealed with the user's key", () => {
    const c = cases.find((x) => x.name === "converged")!;
    const saved = savePlan(planOf(c), c.desired, c.observed, SAVE);
    expect(readSavedPlan(JSON.stringify(saved), "0", KEY).ok).toBe(true);
    const facts = factHashes({ ...c.observed, sessions: [] });
    const edited = { ...saved, observed: { ...saved.observed, facts } };
    expect(readSavedPlan(JSON.stringify({ ...edited, seal: sealOf(edited, KEY) }), "0", KEY)).toMatchObject({ ok: false, problem: expect.stringContaining("damaged or was edited") });
  });

  it("a saved plan edited in any field, one at a time, is refused: its seal no longer verifies", () => {
    const c = cases.find((x) => x.name === "spec-changed")!;
    const saved = savePlan(planOf(c), c.desired, c.observed, SAVE);
    const text = JSON.stringify(saved);
    let edits = 0;
    const visit = (node: unknown, path: (string | number)[]) => {
      if (node !== null && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) visit(v, [...path, Array.isArray(node) ? Number(k) : k]);
        return;
      }
      if (path[0] === "seal") return;
      const doc = JSON.parse(text);
      let at = doc;
      for (const p of path.slice(0, -1)) at = at[p];
      const leaf = path.at(-1)!;
      at[leaf] = typeof node === "string" ? `${node}x` : typeof node === "number" ? node + 1 : typeof node === "boolean" ? !node : "x";
      const r = readSavedPlan(JSON.stringify(doc), "0", KEY);
      expect(r.ok, path.join(".")).toBe(false);
      edits++;
    };
    visit(saved, []);
    expect(edits).toBeGreaterThan(100);
    expect(readSavedPlan(text, "0", Buffer.alloc(32, 7))).toMatchObject({ ok: false, problem: expect.stringContaining("seal does not verify") });
    expect(readSavedPlan(text, "0", null)).toMatchObject({ ok: false, problem: expect.stringContaining("no plan key") });
  });
});
