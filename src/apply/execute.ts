import type { ActionOutcome, OutcomeStatus } from "../plan/outcome.js";
import { isApplied } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";
import { describeStep } from "../plan/step-call.js";
import { readyBatches, runBatch, type Batch } from "./batches.js";
import type { EffectResult, Effects } from "./effects.js";
import { executionOrder } from "./order.js";

/** A change being carried out: how far it got. */
interface Running {
  readonly change: ResourceChange;
  /** Steps done so far: the index of the next one. */
  next: number;
  /** When its first step started (executor clock); null until then. */
  started: number | null;
  /** One of its steps is under way. */
  busy: boolean;
  readonly details: string[];
  launched?: { paneId: string; at: number };
}

export interface ExecuteOptions {
  /** Which changes run (the caller's own agent is handed elsewhere); the rest are neither run nor reported. */
  readonly include?: (c: ResourceChange) => boolean;
  readonly now?: () => number;
  /** Once true, nothing new starts: the steps under way finish, and every change left is skipped. */
  readonly interrupted?: () => boolean;
  /** Told each time a step has been carried out, with how many so far (the fault tests' hook). */
  readonly stepDone?: (count: number) => void;
}

/**
 * Carry out a plan's decisions, making none: it runs each change's steps,
 * switching on the step's kind only, never on an action or a reason.
 *
 * Each change goes on as soon as its own dependencies are done, so a start
 * never waits for an unrelated stop's grace. The steps that become ready at
 * the same moment are gathered first, and those a tool takes together
 * (systemctl of one verb, session stops, launches) go as one call: starting
 * or stopping many units still costs one process. A change whose dependency
 * failed is skipped; a failure names the step that failed. `report` hears
 * each outcome as it happens, and the result lists them in that order.
 */
export async function executePlan(plan: Plan, effects: Effects, report: (o: ActionOutcome) => void, opts: ExecuteOptions = {}): Promise<ActionOutcome[]> {
  const now = opts.now ?? Date.now;
  const outcomes: ActionOutcome[] = [];
  const settled = new Map<string, OutcomeStatus>();
  const applied = new Set(plan.changes.filter(isApplied).map((c) => c.address));
  // In execution order: what is ready together is batched, and reported, in plan order.
  let left: Running[] = executionOrder(plan.changes)
    .filter((c) => isApplied(c) && (!opts.include || opts.include(c)))
    .map((change) => ({ change, next: 0, started: null, busy: false, details: [] }));
  let stepsDone = 0;
  let inFlight = 0;
  const bugs: unknown[] = [];
  let batchEnded = false;
  let wake: (() => void) | null = null;

  const finish = (r: Running, o: Omit<ActionOutcome, "change">) => {
    left = left.filter((x) => x !== r);
    const outcome: ActionOutcome = { change: r.change, ...o };
    settled.set(r.change.address, outcome.status);
    outcomes.push(outcome);
    report(outcome);
  };
  const finishDone = (r: Running, started: number) =>
    finish(r, {
      status: "done",
      durationMs: now() - started,
      ...(r.details.length > 0 ? { detail: r.details.join("; ") } : {}),
      ...(r.launched ? { launched: r.launched } : {}),
    });

  const stepsEnded = (batch: Batch<Running>, results: ReadonlyMap<Running, EffectResult>) => {
    for (const { key: r, step } of batch.members) {
      r.busy = false;
      const started = r.started ?? now();
      const result = results.get(r) ?? { ok: false, error: "no outcome was reported" };
      if (!result.ok) {
        finish(r, { status: "failed", detail: `${describeStep(step)}: ${result.error}`, durationMs: now() - started });
        continue;
      }
      if (result.detail) r.details.push(result.detail);
      if (result.paneId) r.launched = { paneId: result.paneId, at: now() };
      r.next++;
      opts.stepDone?.(++stepsDone);
      if (r.next === r.change.steps.length) finishDone(r, started);
    }
  };

  /** Start the next step of every change free to go on; skip what can no longer run. */
  const dispatch = () => {
    const stopping = opts.interrupted?.() ?? false;
    const ready: Running[] = [];
    for (const r of left) {
      if (r.busy) continue;
      if (stopping) {
        const detail = r.started === null ? "interrupted before it started" : `interrupted after step ${r.next} of ${r.change.steps.length}`;
        finish(r, { status: "skipped", detail, durationMs: r.started === null ? 0 : now() - r.started });
        continue;
      }
      const deps = r.change.dependsOn.filter((d) => applied.has(d));
      const blocker = deps.find((d) => settled.has(d) && settled.get(d) !== "done");
      if (blocker) {
        finish(r, { status: "skipped", detail: `${blocker} failed`, durationMs: 0 });
        continue;
      }
      // A dependency left out by `include` never settles: what waits on it stays as it is.
      if (!deps.every((d) => settled.get(d) === "done")) continue;
      r.started ??= now();
      if (r.next === r.change.steps.length) finishDone(r, r.started);
      else ready.push(r);
    }
    for (const batch of readyBatches(ready.map((r) => ({ key: r, step: r.change.steps[r.next]! })))) {
      for (const { key } of batch.members) key.busy = true;
      inFlight++;
      runBatch(batch, effects)
        .then((results) => stepsEnded(batch, results))
        .catch((err: unknown) => {
          // An effect (or a listener) that throws is a bug, not a failed step: nothing more starts, and it is thrown once the rest has ended.
          bugs.push(err);
          for (const { key } of batch.members) key.busy = false;
        })
        .finally(() => {
          inFlight--;
          batchEnded = true;
          wake?.();
        });
    }
  };

  for (;;) {
    batchEnded = false;
    if (bugs.length === 0) dispatch();
    if (inFlight === 0) break;
    if (!batchEnded) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    // What else ends in this turn of the event loop lands before the next dispatch, so the steps it frees are batched together.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (bugs.length > 0) throw bugs[0];
  return outcomes;
}
