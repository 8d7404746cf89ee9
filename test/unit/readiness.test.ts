import { describe, expect, it } from "vitest";
import { awaitReady, type LaunchedAgent } from "../../src/apply/readiness.js";
import type { ObservedPane, ObservedTmux } from "../../src/observe/types.js";

/** A fake clock and a scripted world: `panes(t)` says what tmux shows at time t. */
function harness(panes: (t: number) => Record<string, Partial<ObservedPane> | null>) {
  let now = 0;
  let observations = 0;
  const observe = async (): Promise<ObservedTmux> => {
    observations++;
    const sessions = Object.entries(panes(now)).map(([name, p]) => ({
      name, managed: true, specHash: null, specFields: null, launch: null, createdAt: 0,
      pane: p === null ? null : { id: "%1", pid: 10, dead: false, deadStatus: null, deadSignal: null, currentCommand: "x", ...p },
      paneRecorded: true, paneCount: 1, rosterId: null,
    }));
    return { socket: "s", serverRunning: true, serverVersion: "3.3a", sessions, unreadable: [], globalLabels: [] };
  };
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  return { observe, clock, observations: () => observations, time: () => now };
}

const launched = (name: string, readyAfterSeconds: number, paneId = "%1"): LaunchedAgent => ({ name, paneId, at: 0, readyAfterSeconds });

describe("awaitReady", () => {
  it("waits until each agent has been alive for its ready_after_seconds, one observation per poll for all", async () => {
    const h = harness(() => ({ a: {}, b: {} }));
    const r = await awaitReady([launched("a", 1), launched("b", 2)], h.observe, h.clock);
    expect(r.notReady).toEqual([]);
    expect(h.time()).toBeGreaterThanOrEqual(2000);
    expect(h.observations()).toBeLessThan(30);
  });

  it("0 seconds is one look", async () => {
    const h = harness(() => ({ a: {} }));
    expect((await awaitReady([launched("a", 0)], h.observe, h.clock)).notReady).toEqual([]);
    expect(h.observations()).toBe(1);
  });

  it("names an agent whose pane died first, with its exit status", async () => {
    const h = harness((t) => ({ a: {}, b: t >= 1000 ? { dead: true, deadStatus: 127 } : {} }));
    const r = await awaitReady([launched("a", 2), launched("b", 2)], h.observe, h.clock);
    expect(r.notReady).toEqual([{ name: "b", problem: "its process exited within 2s (ready_after_seconds) with status 127 (command not found)" }]);
  });

  it("gives tmux a moment to say how a dead pane ended, then reports it without", async () => {
    const later = harness((t) => ({ a: t < 500 ? { dead: true } : { dead: true, deadSignal: 9 } }));
    expect((await awaitReady([launched("a", 1)], later.observe, later.clock)).notReady[0]?.problem).toBe("its process exited within 1s (ready_after_seconds) with signal 9 (SIGKILL)");
    const never = harness(() => ({ a: { dead: true } }));
    expect((await awaitReady([launched("a", 1)], never.observe, never.clock)).notReady[0]?.problem).toBe("its process exited within 1s (ready_after_seconds)");
  });

  it("an agent whose session or pane vanished is not ready, and neither is a pane another took the place of", async () => {
    const h = harness(() => ({ b: null, c: {} }));
    const r = await awaitReady([launched("a", 1), launched("b", 1), launched("c", 1, "%7")], h.observe, h.clock);
    expect(r.notReady).toEqual([
      { name: "a", problem: "its session is gone" },
      { name: "b", problem: "its pane is gone" },
      { name: "c", problem: "its pane is gone" },
    ]);
  });

  it("returns the observation made after every agent was decided", async () => {
    const h = harness((t) => ({ a: t >= 1000 ? { pid: 99 } : {} }));
    const r = await awaitReady([launched("a", 1)], h.observe, h.clock);
    expect(r.observed.sessions[0]?.pane?.pid).toBe(99);
  });
});
