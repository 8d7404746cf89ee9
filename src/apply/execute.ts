import { isApplied } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";
import type { EffectResult, Effects } from "./effects.js";
import { executionOrder } from "./order.js";

export type OutcomeStatus = "done" | "failed" | "skipped";

export interface ActionOutcome {
  readonly change: ResourceChange;
  readonly status: OutcomeStatus;
  readonly detail?: string;
  readonly durationMs: number;
}

/**
 * Carry out a plan's decisions, making none: it switches on the action
 * only, never on the reason. A change whose dependency failed is skipped.
 * `report` hears each outcome as it happens.
 */
export async function executePlan(plan: Plan, effects: Effects, report: (o: ActionOutcome) => void, now: () => number = Date.now): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  const failed = new Set<string>();
  for (const change of executionOrder(plan.changes)) {
    if (!isApplied(change)) continue;
    const started = now();
    let outcome: ActionOutcome;
    const blocker = change.dependsOn.find((d) => failed.has(d));
    if (blocker) {
      outcome = { change, status: "skipped", detail: `${blocker} failed`, durationMs: 0 };
    } else {
      const r = await applyChange(change, effects);
      outcome = r.ok
        ? { change, status: "done", detail: r.detail, durationMs: now() - started }
        : { change, status: "failed", detail: r.error, durationMs: now() - started };
    }
    if (outcome.status !== "done") failed.add(change.address);
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}

async function applyChange(c: ResourceChange, effects: Effects): Promise<EffectResult> {
  switch (c.action) {
    case "create":
      return effects.launch(c.after!);
    case "update":
      return effects.label(c.name, c.after!);
    case "replace": {
      const stopped = await effects.stop(c.before!, c.stopGraceSeconds);
      return stopped.ok ? effects.launch(c.after!) : stopped;
    }
    case "delete":
      return effects.stop(c.before!, c.stopGraceSeconds);
    case "noop":
      return { ok: true };
  }
}
