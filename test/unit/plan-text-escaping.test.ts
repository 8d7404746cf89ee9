import { describe, expect, it } from "vitest";
import { plan } from "../../src/plan/plan.js";
import type { Plan } from "../../src/plan/types.js";
import { renderPlanText } from "../../src/render/plan-text.js";
import { loadPlanCases } from "../helpers/plan-fixtures.js";

const cases = await loadPlanCases();

/**
 * A saved plan is a file anyone may have edited (`fleet show FILE` renders
 * it before apply refuses it): nothing in it may reach the terminal raw,
 * to clear the screen, paint a "No changes." or forge a line of its own.
 */
describe("the human plan of an edited file", () => {
  it("shows every text it holds escaped, each on its own line", () => {
    const c = cases.find((x) => x.name === "spec-changed")!;
    const p = plan(c.desired, c.observed, c.intent, c.settings);
    const forged = "\x1b[2J\x1b[H\x1b[0mNo changes. The fleet matches the roster.\x1b[8m\nPlan: 0 to add, 0 to change, 0 to destroy.";
    const edited: Plan = {
      ...p,
      changes: p.changes.map((x) => ({ ...x, message: forged, address: `${x.address}\x1b[8m`, dependsOn: [...x.dependsOn, "x\ny"] })),
      diagnostics: [{ severity: "warning", code: "unmanaged-session", message: forged }],
    };
    const text = renderPlanText(edited);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text.split("\n").filter((l) => l.startsWith("Plan: 0 to add"))).toEqual([]);
  });
});
