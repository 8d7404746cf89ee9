import { describeDeadPane } from "../observe/exit-status.js";
import type { ObservedTmux } from "../observe/types.js";
import type { NotReady } from "../plan/outcome.js";

export interface LaunchedAgent {
  readonly name: string;
  readonly paneId: string;
  /** When the launch returned (ms, the same clock as `now`). */
  readonly at: number;
  readonly readyAfterSeconds: number;
}

export interface ReadinessClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Asked to stop waiting (Ctrl+C): the agents still pending are reported not ready. */
  readonly stop?: () => boolean;
}

/** Poll interval, and how long past the last deadline a pane may stay unaccounted for. */
const POLL_MS = 100;
const SLACK_MS = 10_000;
/**
 * tmux shows a pane dead as soon as its terminal closes, but learns how the
 * process ended only when it reaps it, lazily (seconds, under load). The
 * exit status is worth a short wait: 127 says the command was not found.
 */
const CAUSE_WAIT_MS = 3_000;

/**
 * Wait until every launched agent is started: its own pane still alive
 * `ready_after_seconds` after its launch (compose's `up --wait`,
 * Kubernetes' minReadySeconds). One observation of the whole fleet per
 * poll, whatever its size. An agent whose pane dies or vanishes first is
 * not ready, and neither is one still unaccounted for at the timeout.
 * Returns the last observation, made after every agent was decided, so a
 * claim of success rests on a check made just before it.
 */
export async function awaitReady(
  launched: readonly LaunchedAgent[],
  observe: () => Promise<ObservedTmux>,
  clock: ReadinessClock,
): Promise<{ observed: ObservedTmux; notReady: NotReady[] }> {
  const pending = new Map(launched.map((l) => [l.name, l]));
  const deadSince = new Map<string, number>();
  const notReady: NotReady[] = [];
  const deadline = Math.max(0, ...launched.map((l) => l.at + l.readyAfterSeconds * 1000)) + SLACK_MS;
  for (;;) {
    const observed = await observe();
    const t = clock.now();
    if (clock.stop?.()) {
      for (const l of pending.values()) notReady.push({ name: l.name, problem: "interrupted while waiting for it to be ready" });
      return { observed, notReady };
    }
    const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
    for (const l of pending.values()) {
      const pane = sessions.get(l.name)?.pane;
      let problem: string | null = null;
      if (!sessions.has(l.name)) problem = "its session is gone";
      else if (!pane || pane.id !== l.paneId) problem = "its pane is gone";
      else if (pane.dead) {
        const cause = describeDeadPane(pane);
        if (cause === "" && t - (deadSince.get(l.name) ?? (deadSince.set(l.name, t), t)) < CAUSE_WAIT_MS) continue;
        problem = `its process exited within ${l.readyAfterSeconds}s (ready_after_seconds)${cause ? ` with ${cause}` : ""}`;
      } else if (t < l.at + l.readyAfterSeconds * 1000) continue;
      if (problem !== null) notReady.push({ name: l.name, problem });
      pending.delete(l.name);
    }
    if (pending.size === 0) return { observed, notReady };
    if (t >= deadline) {
      for (const l of pending.values()) notReady.push({ name: l.name, problem: `not confirmed alive within ${Math.round((deadline - l.at) / 1000)}s` });
      return { observed, notReady };
    }
    const nextDue = Math.min(...[...pending.values()].map((l) => (deadSince.has(l.name) ? t + POLL_MS : l.at + l.readyAfterSeconds * 1000)));
    await clock.sleep(Math.max(10, Math.min(POLL_MS, nextDue - t)));
  }
}
