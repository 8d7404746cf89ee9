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
  /** A launch: the new agent pane and when it started (executor clock, ms). */
  readonly launched?: { readonly paneId: string; readonly at: number };
}

/**
 * Carry out a plan's decisions, making none: it switches on the action
 * only, never on the reason. A change whose dependency failed is skipped.
 * `include` narrows which changes run (the caller's own agent is handed
 * elsewhere); `report` hears each outcome as it happens.
 */
export async function executePlan(
  plan: Plan,
  effects: Effects,
  report: (o: ActionOutcome) => void,
  opts: { include?: (c: ResourceChange) => boolean; now?: () => number } = {},
): Promise<ActionOutcome[]> {
  const now = opts.now ?? Date.now;
  const outcomes: ActionOutcome[] = [];
  const failed = new Set<string>();
  for (const change of executionOrder(plan.changes)) {
    if (!isApplied(change) || (opts.include && !opts.include(change))) continue;
    const started = now();
    let outcome: ActionOutcome;
    const blocker = change.dependsOn.find((d) => failed.has(d));
    if (blocker) {
      outcome = { change, status: "skipped", detail: `${blocker} failed`, durationMs: 0 };
    } else {
      const r = await applyChange(change, effects);
      const ended = now();
      outcome = r.ok
        ? { change, status: "done", durationMs: ended - started, ...(r.detail ? { detail: r.detail } : {}), ...(r.paneId ? { launched: { paneId: r.paneId, at: ended } } : {}) }
        : { change, status: "failed", detail: r.error, durationMs: ended - started };
    }
    if (outcome.status !== "done") failed.add(change.address);
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}

/** Each case gets exactly the fields its action has: the plan's types say which side exists. */
async function applyChange(c: ResourceChange, effects: Effects): Promise<EffectResult> {
  switch (c.action) {
    case "create":
      return effects.launch(c.after);
    case "update":
      return effects.label(c.after, c.before);
    case "replace": {
      const stopped = await effects.stop(c.before, c.stopGraceSeconds);
      if (!stopped.ok) return stopped;
      const launched = await effects.launch(c.after);
      return launched.ok && stopped.detail ? { ...launched, detail: stopped.detail } : launched;
    }
    case "delete":
      return effects.stop(c.before, c.stopGraceSeconds);
    case "noop":
      return { ok: true };
  }
}
