import { acquireApplyLock, type LockHolder } from "../adapters/lock.js";
import { sleep } from "../adapters/processes.js";
import { MIN_TMUX, type TmuxClient } from "../adapters/tmux.js";
import { UserError } from "../errors.js";
import { observeFleet } from "../observe/observe.js";
import { plan as makePlan } from "../plan/plan.js";
import { hasChanges, hasErrors, isApplied } from "../plan/predicates.js";
import { ROSTER_INTENT, STOP_INTENT, type Plan, type PlanIntent } from "../plan/types.js";
import type { DesiredFleet } from "../roster/types.js";
import type { ActionOutcome } from "./execute.js";
import { executePlan } from "./execute.js";
import { tmuxEffects } from "./tmux-effects.js";

/**
 * A freshly started pane can die a moment after tmux returns (a missing
 * command exits 127 at once). Waiting this long before the convergence
 * check lets such a failure show as pane-dead instead of passing unseen.
 */
const LAUNCH_SETTLE_MS = 250;

export interface ReconcileIO {
  readonly tmux: TmuxClient;
  /** The tmux socket's path: the lock is per socket. */
  readonly tmuxSocketPath: string;
  readonly lockTimeoutMs: number;
  readonly me: LockHolder;
  /** Progress lines for the user. */
  readonly say: (text: string) => void;
  /** The plan, before anything happens. */
  readonly showPlan: (plan: Plan) => void;
  /** Asked only when there are changes; null applies without asking. */
  readonly confirm: ((plan: Plan) => Promise<boolean>) | null;
  readonly report: (outcome: ActionOutcome) => void;
}

export type ReconcileResult =
  | { readonly kind: "no-changes"; readonly plan: Plan }
  | { readonly kind: "errored"; readonly plan: Plan }
  | { readonly kind: "declined"; readonly plan: Plan }
  | { readonly kind: "applied"; readonly plan: Plan; readonly outcomes: readonly ActionOutcome[]; readonly remaining: Plan };

/**
 * The one operation: under the socket's lock, observe, plan for `intent`,
 * confirm, execute, then observe again and plan for the plain target. The
 * fleet converged iff that second plan has no changes and every action
 * succeeded.
 */
export async function reconcile(desired: DesiredFleet, intent: PlanIntent, io: ReconcileIO): Promise<ReconcileResult> {
  const lock = await acquireApplyLock(io.tmuxSocketPath, io.me, {
    timeoutMs: io.lockTimeoutMs,
    onWait: (h) => io.say(`Waiting for another mosaic apply on socket "${desired.socket}"${h ? ` (pid ${h.pid}: ${h.command})` : ""} to finish...`),
  });
  if ("busy" in lock) {
    const h = lock.busy;
    throw new UserError(`another mosaic apply on socket "${desired.socket}" is still running${h ? ` (pid ${h.pid}: ${h.command}, since ${h.since})` : ""}; try again when it ends`);
  }
  try {
    const plan = makePlan(desired, await observeFleet(io.tmux), intent);
    io.showPlan(plan);
    if (hasErrors(plan)) return { kind: "errored", plan };
    if (!hasChanges(plan)) return { kind: "no-changes", plan };
    if (io.confirm && !(await io.confirm(plan))) return { kind: "declined", plan };

    await requireTmuxVersion(io.tmux);
    const outcomes = await executePlan(plan, tmuxEffects(io.tmux), io.report);
    if (outcomes.some((o) => o.status === "done" && o.change.after !== null)) await sleep(LAUNCH_SETTLE_MS);

    const target = intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT;
    const remaining = makePlan(desired, await observeFleet(io.tmux), target);
    return { kind: "applied", plan, outcomes, remaining };
  } finally {
    await lock.release();
  }
}

type Applied = ReconcileResult & { kind: "applied" };

/** Whether an applied reconcile reached its target. */
export function converged(result: Applied): boolean {
  return result.outcomes.every((o) => o.status === "done") && !hasChanges(result.remaining) && !hasErrors(result.remaining);
}

/** What still differs after an apply, one line per resource. */
export function remainingDifferences(result: Applied): string[] {
  const lines = result.outcomes.filter((o) => o.status !== "done").map((o) => `${o.change.address}: ${o.status}: ${o.detail ?? ""}`.trimEnd());
  for (const c of result.remaining.changes.filter(isApplied)) {
    if (!lines.some((l) => l.startsWith(`${c.address}:`))) lines.push(`${c.address}: still needs ${c.action} (${c.reason}: ${c.message})`);
  }
  for (const d of result.remaining.diagnostics.filter((x) => x.severity === "error")) lines.push(d.message);
  return lines;
}

async function requireTmuxVersion(tmux: TmuxClient): Promise<void> {
  const v = await tmux.version();
  if (v.major < MIN_TMUX.major || (v.major === MIN_TMUX.major && v.minor < MIN_TMUX.minor)) {
    throw new UserError(`${v.raw || "tmux"} is too old: mosaic needs tmux >= ${MIN_TMUX.major}.${MIN_TMUX.minor} (for new-session -e)`);
  }
}
