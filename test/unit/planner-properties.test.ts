import { describe, expect, it } from "vitest";
import type { ObservedFleet, ObservedSession } from "../../src/observe/types.js";
import { HOLDER_SPEC_HASH } from "../../src/plan/holder.js";
import { plan } from "../../src/plan/plan.js";
import { hasChanges, hasErrors } from "../../src/plan/predicates.js";
import { ROSTER_INTENT, STOP_INTENT, type Plan, type PlanIntent } from "../../src/plan/types.js";
import { normaliseRoster, type RawRoster } from "../../src/roster/normalise.js";

/** Deterministic PRNG (mulberry32), so a failing case reproduces from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const NAMES = ["a", "b", "c", "d", "e", "_holder"];

function randomCase(seed: number) {
  const r = prng(seed);
  const raw: RawRoster = {
    agents: NAMES.filter((n) => n !== "_holder" && r.chance(0.7)).map((name) => ({
      name,
      command: r.pick(["pi", "claude"]),
      args: r.chance(0.5) ? ["--fast"] : [],
      enabled: r.chance(0.8),
      on_spec_change: r.pick(["replace", "hold"] as const),
    })),
  };
  const desired = normaliseRoster(raw, { rosterPath: "/r.yaml", home: "/h" });
  const specs = [...desired.agents.map((a) => a.specHash), HOLDER_SPEC_HASH, "v1:" + "0".repeat(64)];
  const sessions: ObservedSession[] = NAMES.filter(() => r.chance(0.6)).map((name, i) => ({
    name,
    managed: r.chance(0.85),
    specHash: r.chance(0.1) ? null : r.pick(specs),
    launch: "resume",
    createdAt: 1,
    pane: { pid: 100 + i, dead: r.chance(0.2), deadStatus: null, currentCommand: "x" },
    paneCount: 1,
  }));
  const observed: ObservedFleet = { socket: "s", serverRunning: sessions.length > 0, sessions, unreadable: [] };
  const enabled = desired.agents.filter((a) => a.enabled).map((a) => a.name);
  const intent: PlanIntent = r.chance(0.25) ? STOP_INTENT : { ...ROSTER_INTENT, replace: enabled.filter(() => r.chance(0.2)) };
  return { desired, observed, intent };
}

/** What a perfect executor would leave behind: the plan's effects on the observation. */
function simulate(observed: ObservedFleet, p: Plan): ObservedFleet {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  let pid = 1000;
  for (const c of p.changes) {
    if (c.action === "noop" || c.held) continue;
    if (c.action === "delete") sessions.delete(c.name);
    if (c.action === "update") sessions.set(c.name, { ...sessions.get(c.name)!, specHash: c.after!.specHash });
    if (c.action === "create" || c.action === "replace") {
      sessions.set(c.name, { name: c.name, managed: true, specHash: c.after!.specHash, launch: c.after!.launch, createdAt: 2, pane: { pid: pid++, dead: false, deadStatus: null, currentCommand: c.after!.argv[0]! }, paneCount: 1 });
    }
  }
  const list = [...sessions.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  return { ...observed, serverRunning: list.length > 0, sessions: list };
}

describe("planner invariants over 500 generated worlds", () => {
  const seeds = Array.from({ length: 500 }, (_, i) => i + 1);

  it("applying a plan to a simulated world reaches the target: replanning finds no changes", () => {
    for (const seed of seeds) {
      const { desired, observed, intent } = randomCase(seed);
      const p = plan(desired, observed, intent);
      if (hasErrors(p)) continue; // an errored plan is never applied
      const after = simulate(observed, p);
      const again = plan(desired, after, intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);
      expect(hasChanges(again), `seed ${seed}: ${JSON.stringify(again.changes.filter((c) => c.action !== "noop"))}`).toBe(false);
    }
  });

  it("a converged world plans to nothing, and planning never touches unmanaged sessions", () => {
    for (const seed of seeds) {
      const { desired, observed, intent } = randomCase(seed);
      const p = plan(desired, observed, intent);
      const unmanaged = new Set(observed.sessions.filter((s) => !s.managed).map((s) => s.name));
      expect(p.changes.filter((c) => c.action !== "noop" && c.action !== "create" && unmanaged.has(c.name)), `seed ${seed}`).toEqual([]);
      if (hasErrors(p)) continue;
      const converged = simulate(observed, p);
      const q = plan(desired, converged, intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);
      expect(simulate(converged, q), `seed ${seed}`).toEqual(converged);
    }
  });
});
