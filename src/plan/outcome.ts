import { hasErrors, isApplied } from "./predicates.js";
import type { Plan, ResourceChange } from "./types.js";

/**
 * What an apply did, as plain data: made by the executor, read by the
 * renderers and the commands. It lives beside the plan it reports on so
 * that rendering an apply never depends on the code that carries one out.
 */

export type OutcomeStatus = "done" | "failed" | "skipped";

export interface ActionOutcome {
  readonly change: ResourceChange;
  readonly status: OutcomeStatus;
  readonly detail?: string;
  readonly durationMs: number;
  /** A launch: the new agent pane and when it started (executor clock, ms). */
  readonly launched?: { readonly paneId: string; readonly at: number };
}

/** A launched agent that did not stay alive for its ready_after_seconds. */
export interface NotReady {
  readonly name: string;
  readonly problem: string;
  /** The last lines its pane showed (an error message, usually), when they could be read. */
  readonly lastLines?: readonly string[];
}

export interface Applied {
  readonly kind: "applied";
  readonly plan: Plan;
  readonly outcomes: readonly ActionOutcome[];
  /** Launched agents that did not stay alive for their ready_after_seconds. */
  readonly notReady: readonly NotReady[];
  /** Plan to the plain target from an observation made after everything was decided. */
  readonly remaining: Plan;
  /** Addresses left to the hand-off (the caller's own agent, and what depends on it). */
  readonly handedOff: readonly string[];
  readonly handOffNote: string | null;
  /** Stopped by the user before every change ran. */
  readonly interrupted: boolean;
}

/**
 * Whether an applied reconcile reached its target: every action done, every
 * launched agent ready, and the final observation asking for nothing more
 * than what was handed off, with no errors.
 */
export function converged(result: Applied): boolean {
  const handed = new Set(result.handedOff);
  const callerLeft = result.plan.changes.some((c) => c.runsCaller && isApplied(c)) && handed.size === 0;
  return (
    result.outcomes.every((o) => o.status === "done") &&
    result.notReady.length === 0 &&
    !result.remaining.changes.some((c) => isApplied(c) && !handed.has(c.address)) &&
    !hasErrors(result.remaining) &&
    !callerLeft
  );
}
