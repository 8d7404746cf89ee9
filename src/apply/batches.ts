import type { PlanStep, UnitVerb } from "../plan/types.js";
import type { EffectResult, Effects } from "./effects.js";

type Step<K extends PlanStep["kind"]> = Extract<PlanStep, { kind: K }>;
type Single = Exclude<PlanStep, { kind: "systemctl" | "tmux.stop" | "tmux.launch" }>;

/** A step to run, and whose it is (the executor's key for its result). */
export interface Ready<K, S extends PlanStep = PlanStep> {
  readonly key: K;
  readonly step: S;
}

/** Steps that go to their tool in one call, or a step that goes alone. */
export type Batch<K> =
  | { readonly kind: "systemctl"; readonly verb: UnitVerb; readonly members: readonly Ready<K, Step<"systemctl">>[] }
  | { readonly kind: "tmux.stop"; readonly members: readonly Ready<K, Step<"tmux.stop">>[] }
  | { readonly kind: "tmux.launch"; readonly members: readonly Ready<K, Step<"tmux.launch">>[] }
  /** Steps of one other kind: each its own call, made side by side, the batch ending with the last. */
  | { readonly kind: "each"; readonly members: readonly Ready<K, Single>[] };

/**
 * Group steps that became ready at the same moment: systemctl steps by
 * verb, all session stops (every agent is signalled at once, their grace
 * periods run side by side, the sessions are removed in one tmux call),
 * all launches (chained new-sessions). Other steps are grouped by kind
 * too, though each is a call of its own: what they free then becomes
 * ready at one moment (a start waits on launch files written side by
 * side), so the next systemctl calls are batched as well.
 */
export function readyBatches<K>(ready: readonly Ready<K>[]): Batch<K>[] {
  const units = new Map<UnitVerb, Ready<K, Step<"systemctl">>[]>();
  const stops: Ready<K, Step<"tmux.stop">>[] = [];
  const launches: Ready<K, Step<"tmux.launch">>[] = [];
  const others = new Map<Single["kind"], Ready<K, Single>[]>();
  for (const { key, step } of ready) {
    switch (step.kind) {
      case "systemctl":
        units.set(step.verb, [...(units.get(step.verb) ?? []), { key, step }]);
        break;
      case "tmux.stop":
        stops.push({ key, step });
        break;
      case "tmux.launch":
        launches.push({ key, step });
        break;
      default:
        others.set(step.kind, [...(others.get(step.kind) ?? []), { key, step }]);
    }
  }
  return [
    ...[...others.values()].map((members) => ({ kind: "each" as const, members })),
    ...(stops.length > 0 ? [{ kind: "tmux.stop" as const, members: stops }] : []),
    ...(launches.length > 0 ? [{ kind: "tmux.launch" as const, members: launches }] : []),
    ...[...units].map(([verb, members]) => ({ kind: "systemctl" as const, verb, members })),
  ];
}

const unreported: EffectResult = { ok: false, error: "no outcome was reported" };

/** Carry out one batch: a result for each of its members. */
export async function runBatch<K>(batch: Batch<K>, effects: Effects): Promise<Map<K, EffectResult>> {
  switch (batch.kind) {
    case "each": {
      // Every call ends before the batch does, even when one throws: nothing is left running behind the executor's back.
      const results = await Promise.allSettled(batch.members.map(({ step }) => runSingle(step, effects)));
      const thrown = results.find((r) => r.status === "rejected");
      if (thrown) throw thrown.reason;
      return new Map(batch.members.map(({ key }, i) => [key, (results[i] as PromiseFulfilledResult<EffectResult>).value]));
    }
    case "tmux.stop": {
      const stopped = await effects.stopSessions(batch.members.map(({ step }) => ({ session: step.session, paneId: step.paneId, graceSeconds: step.graceSeconds })));
      return new Map(batch.members.map(({ key, step }) => [key, stopped.get(step.session) ?? unreported]));
    }
    case "tmux.launch": {
      const started = await effects.launchSessions(batch.members.map(({ step }) => step.after));
      return new Map(batch.members.map(({ key, step }) => [key, started.get(step.after.name) ?? unreported]));
    }
    case "systemctl":
      return runUnits(batch.verb, batch.members, effects);
  }
}

async function runUnits<K>(verb: UnitVerb, members: readonly Ready<K, Step<"systemctl">>[], effects: Effects): Promise<Map<K, EffectResult>> {
  const batch = await effects.systemctl(
    verb,
    members.map((m) => m.step.unit),
    members.flatMap((m) => (m.step.vouched ? [m.step.unit] : [])),
  );
  // One unit failing does not keep the others from starting (systemd queues a job per unit): look for their panes too.
  const launches = members.flatMap((m) => m.step.launches ?? []);
  const panes = launches.length > 0 ? await effects.panesOf(launches) : new Map<string, string>();
  return new Map(
    members.map(({ key, step }): [K, EffectResult] => {
      if (!batch.ok && batch.failed.includes(step.unit)) return [key, { ok: false, error: batch.error }];
      if (step.launches === null) return [key, { ok: true }];
      const pane = panes.get(step.launches);
      return [key, pane ? { ok: true, paneId: pane } : { ok: false, error: `the unit started, but session "${step.launches}" has no agent pane` }];
    }),
  );
}

function runSingle(step: Single, effects: Effects): Promise<EffectResult> {
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
