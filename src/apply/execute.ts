import type { ActionOutcome, OutcomeStatus } from "../plan/outcome.js";
import { isApplied } from "../plan/predicates.js";
import type { Plan, PlanStep, ResourceChange, UnitVerb } from "../plan/types.js";
import { describeStep } from "../plan/step-call.js";
import type { EffectResult, Effects } from "./effects.js";
import { executionOrder } from "./order.js";

interface Running {
  readonly change: ResourceChange;
  next: number;
  readonly started: number;
  details: string[];
  launched?: { paneId: string; at: number };
}

/**
 * Carry out a plan's decisions, making none: it runs each change's steps,
 * switching on the step's kind only, never on an action or a reason. It
 * goes in rounds: every change whose dependencies are done takes its next
 * step, and the round's `systemctl` steps of one verb go to systemd as one
 * call, so starting or stopping many units costs one process. A change
 * whose dependency failed is skipped; a failure names the step that failed.
 * `include` narrows which changes run (the caller's own agent is handed
 * elsewhere); `report` hears each outcome as it happens; once `interrupted`
 * says so, the round under way ends and every change left is skipped.
 */
export async function executePlan(
  plan: Plan,
  effects: Effects,
  report: (o: ActionOutcome) => void,
  opts: { include?: (c: ResourceChange) => boolean; now?: () => number; interrupted?: () => boolean; stepDone?: (count: number) => void } = {},
): Promise<ActionOutcome[]> {
  const now = opts.now ?? Date.now;
  const outcomes: ActionOutcome[] = [];
  const settled = new Map<string, OutcomeStatus>();
  const finish = (o: ActionOutcome) => {
    settled.set(o.change.address, o.status);
    outcomes.push(o);
    report(o);
  };
  const applied = new Set(plan.changes.filter(isApplied).map((c) => c.address));
  let waiting = executionOrder(plan.changes).filter((c) => isApplied(c) && (!opts.include || opts.include(c)));
  const running = new Map<string, Running>();
  let stepsDone = 0;

  while (waiting.length > 0) {
    // Asked to stop (Ctrl+C): the round under way has finished; nothing more starts.
    if (opts.interrupted?.()) {
      for (const change of waiting) {
        const r = running.get(change.address);
        const detail = r ? `interrupted after step ${r.next} of ${change.steps.length}` : "interrupted before it started";
        finish({ change, status: "skipped", detail, durationMs: r ? now() - r.started : 0 });
      }
      break;
    }
    const round: Running[] = [];
    const later: ResourceChange[] = [];
    for (const change of waiting) {
      const deps = change.dependsOn.filter((d) => applied.has(d));
      const blocker = deps.find((d) => settled.has(d) && settled.get(d) !== "done");
      if (blocker) {
        finish({ change, status: "skipped", detail: `${blocker} failed`, durationMs: 0 });
        continue;
      }
      if (!deps.every((d) => settled.get(d) === "done")) {
        later.push(change);
        continue;
      }
      let r = running.get(change.address);
      if (!r) {
        r = { change, next: 0, started: now(), details: [] };
        running.set(change.address, r);
      }
      round.push(r);
    }
    if (round.length === 0) break; // what is left waits on changes that were not included

    const results = await runRound(round, effects);
    for (const r of round) {
      const result = results.get(r)!;
      const step = r.change.steps[r.next]!;
      if (!result.ok) {
        finish({ change: r.change, status: "failed", detail: `${describeStep(step)}: ${result.error}`, durationMs: now() - r.started });
        continue;
      }
      if (result.detail) r.details.push(result.detail);
      if (result.paneId) r.launched = { paneId: result.paneId, at: now() };
      r.next++;
      opts.stepDone?.(++stepsDone);
      if (r.next < r.change.steps.length) {
        later.push(r.change);
        continue;
      }
      const ended = now();
      finish({ change: r.change, status: "done", durationMs: ended - r.started, ...(r.details.length > 0 ? { detail: r.details.join("; ") } : {}), ...(r.launched ? { launched: r.launched } : {}) });
    }
    const order = new Map(waiting.map((c, i) => [c.address, i]));
    waiting = later.sort((a, b) => order.get(a.address)! - order.get(b.address)!);
  }
  return outcomes;
}

type SystemctlStep = Extract<PlanStep, { kind: "systemctl" }>;
type StopStep = Extract<PlanStep, { kind: "tmux.stop" }>;
type LaunchStep = Extract<PlanStep, { kind: "tmux.launch" }>;

/**
 * One round: each change's next step. systemctl steps are batched by verb,
 * the round's session stops go together (every agent is signalled at once,
 * their grace periods run side by side, the sessions are removed in one
 * tmux call), and so do its launches (chained new-sessions).
 */
async function runRound(round: readonly Running[], effects: Effects): Promise<Map<Running, EffectResult>> {
  const results = new Map<Running, EffectResult>();
  const batches = new Map<UnitVerb, { r: Running; step: SystemctlStep }[]>();
  const stops: { r: Running; step: StopStep }[] = [];
  const launches: { r: Running; step: LaunchStep }[] = [];
  for (const r of round) {
    const step = r.change.steps[r.next]!;
    if (step.kind === "systemctl") {
      batches.set(step.verb, [...(batches.get(step.verb) ?? []), { r, step }]);
      continue;
    }
    if (step.kind === "tmux.stop") {
      stops.push({ r, step });
      continue;
    }
    if (step.kind === "tmux.launch") {
      launches.push({ r, step });
      continue;
    }
    results.set(r, await runStep(step, effects));
  }
  if (stops.length > 0) {
    const stopped = await effects.stopSessions(stops.map(({ step }) => ({ session: step.session, paneId: step.paneId, graceSeconds: step.graceSeconds })));
    for (const { r, step } of stops) results.set(r, stopped.get(step.session) ?? { ok: false, error: "no outcome was reported" });
  }
  if (launches.length > 0) {
    const started = await effects.launchSessions(launches.map(({ step }) => step.after));
    for (const { r, step } of launches) results.set(r, started.get(step.after.name) ?? { ok: false, error: "no outcome was reported" });
  }
  for (const [verb, members] of batches) {
    const batch = await effects.systemctl(verb, members.map((m) => m.step.unit));
    // One unit failing does not keep the others from starting (systemd queues a job per unit): look for their panes too.
    const launches = members.flatMap((m) => m.step.launches ?? []);
    const panes = launches.length > 0 ? await effects.panesOf(launches) : new Map<string, string>();
    for (const { r, step } of members) {
      if (!batch.ok && batch.failed.includes(step.unit)) {
        results.set(r, { ok: false, error: batch.error });
        continue;
      }
      if (step.launches === null) {
        results.set(r, { ok: true });
        continue;
      }
      const pane = panes.get(step.launches);
      results.set(r, pane ? { ok: true, paneId: pane } : { ok: false, error: `the unit started, but session "${step.launches}" has no agent pane` });
    }
  }
  return results;
}

async function runStep(step: Exclude<PlanStep, { kind: "systemctl" | "tmux.stop" | "tmux.launch" }>, effects: Effects): Promise<EffectResult> {
  switch (step.kind) {
    case "tmux.label":
      return effects.label(step.after, step.paneId);
    case "daemon-reload":
      return effects.daemonReload();
    case "file.write":
      return effects.writeFile(step.path, step.content, step.mode, { backup: step.backup, record: step.record });
    case "file.remove":
      return effects.removeFile(step.path, { record: step.record });
  }
}
