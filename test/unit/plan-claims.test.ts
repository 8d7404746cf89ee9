import { describe, expect, it } from "vitest";
import { planInstall } from "../../src/plan/install.js";
import { plan } from "../../src/plan/plan.js";
import { observationFailed } from "../../src/plan/predicates.js";
import { planJson } from "../../src/render/plan-json.js";
import { loadPlanCases } from "../helpers/plan-fixtures.js";

const cases = await loadPlanCases();
const documents = cases.map((c) => ({ name: c.name, plan: c.install ? planInstall(c.observed, c.settings, c.install) : plan(c.desired, c.observed, c.intent, c.settings) }));

describe("every claim of a plan document is computed from the plan", () => {
  it("complete is false where the fleet could not be read, or the plan shows a state no manager reported", () => {
    const incomplete = documents.filter((d) => !planJson(d.plan).complete).map((d) => d.name);
    expect(incomplete).toEqual(["global-label", "preflight-host", "socket-file-lost", "systemd-unavailable", "unreadable-row"]);
    for (const d of documents) if (observationFailed(d.plan)) expect(incomplete, d.name).toContain(d.name);
  });

  it("an incomplete plan is an errored one, never applyable", () => {
    for (const doc of documents.map((x) => planJson(x.plan)).filter((x) => !x.complete)) expect([doc.errored, doc.applyable]).toEqual([true, false]);
  });
});
