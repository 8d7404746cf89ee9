import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { converged, type ActionOutcome, type Applied } from "../../src/plan/outcome.js";
import { plan } from "../../src/plan/plan.js";
import { isApplied } from "../../src/plan/predicates.js";
import type { Plan } from "../../src/plan/types.js";
import { renderApplyResult } from "../../src/render/apply-summary.js";
import { repoRoot } from "../helpers/cli.js";
import { loadPlanCases } from "../helpers/plan-fixtures.js";

const cases = new Map((await loadPlanCases()).map((c) => [c.name, plan(c.desired, c.observed, c.intent)]));
const planOf = (name: string): Plan => cases.get(name)!;

/** Every applied change of `p` done, except those given another status. */
function outcomes(p: Plan, other: Record<string, Omit<ActionOutcome, "change" | "durationMs">> = {}): ActionOutcome[] {
  return p.changes.filter(isApplied).map((change) => ({ change, durationMs: 10, ...(other[change.address] ?? { status: "done" as const }) }));
}

function applied(p: Plan, remaining: Plan, extra: Partial<Applied> = {}): Applied {
  return { kind: "applied", plan: p, outcomes: outcomes(p), notReady: [], remaining, handedOff: [], handOffNote: null, interrupted: false, ...extra };
}

const results: [string, Applied][] = [
  [
    "interrupted",
    applied(planOf("empty-world"), planOf("empty-world"), {
      outcomes: outcomes(planOf("empty-world"), {
        'tmux.session["alpha"]': { status: "skipped", detail: "interrupted before it started" },
        'tmux.session["beta"]': { status: "skipped", detail: "interrupted before it started" },
      }),
      interrupted: true,
    }),
  ],
  ["complete", applied(planOf("empty-world"), planOf("converged"))],
  ["stopped", applied(planOf("stop"), planOf("stop-nothing"))],
  [
    "handed-off",
    applied(planOf("caller-restart"), planOf("converged"), {
      outcomes: outcomes(planOf("caller-restart")).filter((o) => !o.change.runsCaller),
      handedOff: ['tmux.session["beta"]'],
      handOffNote: '  tmux.session["beta"] runs this command, so `mosaic agent reset beta --roster /fleet/roster.yaml` (pid 4242) replaces it once this command ends; its output goes to /home/op/.local/state/mosaic/handoff/fleet.log',
    }),
  ],
  [
    "not-converged",
    applied(planOf("empty-world"), planOf("pane-dead"), {
      outcomes: outcomes(planOf("empty-world"), {
        'tmux.session["alpha"]': { status: "failed", detail: "tmux says: no space left on device" },
      }),
      notReady: [{ name: "beta", problem: "its process exited within 1s (ready_after_seconds) with status 127 (command not found)" }],
    }),
  ],
];

describe.each(results)("the end of an apply: %s", (name, result) => {
  it("renders the golden summary", async () => {
    const r = renderApplyResult(result, result.plan.intent);
    await expect(`exit ${r.ok ? 0 : 1}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n`).toMatchFileSnapshot(join(repoRoot, "fixtures", "apply", `${name}.txt`));
  });

  it("claims success exactly when it converged", () => {
    const r = renderApplyResult(result, result.plan.intent);
    expect(r.ok).toBe(converged(result));
    expect(r.stdout.includes("Apply complete!")).toBe(converged(result));
    expect(r.stderr.includes(result.interrupted ? "interrupted:" : "did not converge")).toBe(!converged(result));
  });
});
