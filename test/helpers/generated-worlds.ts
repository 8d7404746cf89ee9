import type { ObservedSession } from "../../src/observe/types.js";
import { normaliseRoster, type RawRoster } from "../../src/roster/normalise.js";
import type { DesiredFleet } from "../../src/roster/types.js";
import { HOLDER_SPEC_HASH } from "../../src/identity/holder.js";
import { rosterId } from "../../src/identity/roster-id.js";

/** The generated rosters' own identity, and another roster's sharing the socket. */
export const ROSTER_PATH = "/r.yaml";
export const OWN = rosterId(ROSTER_PATH);
export const OTHER = rosterId("/other/roster.yaml");

/** Every session name a generated world may hold: five agents and the holder. */
export const NAMES = ["a", "b", "c", "d", "e", "_holder"] as const;

export type Prng = ReturnType<typeof prng>;

/** Deterministic PRNG (mulberry32), so a failing case reproduces from its seed. */
export function prng(seed: number) {
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

/** A roster of some of the agents a..e, each maybe disabled, maybe holding its spec changes. */
export function randomRoster(r: Prng): DesiredFleet {
  const raw: RawRoster = {
    agents: NAMES.filter((n) => n !== "_holder" && r.chance(0.7)).map((name) => ({
      name,
      command: r.pick(["pi", "claude"]),
      args: r.chance(0.5) ? ["--fast"] : [],
      enabled: r.chance(0.8),
      on_spec_change: r.pick(["replace", "hold"] as const),
    })),
  };
  return normaliseRoster(raw, { rosterPath: ROSTER_PATH, home: "/h" });
}

/**
 * Sessions on the fleet's socket: some unmanaged, some another roster's,
 * some without a recorded pane or spec, some with a dead or missing pane,
 * and specs taken from the roster, the holder, or nowhere.
 */
export function randomSessions(r: Prng, desired: DesiredFleet): ObservedSession[] {
  const specs = [...desired.agents.map((a) => a.specHash), HOLDER_SPEC_HASH, "v1:" + "0".repeat(64)];
  return NAMES.filter(() => r.chance(0.6)).map((name, i) => {
    const managed = r.chance(0.85);
    const paneGone = r.chance(0.1);
    return {
      name,
      managed,
      specHash: r.chance(0.1) ? null : r.pick(specs),
      specFields: null,
      launch: "resume",
      createdAt: 1,
      pane: paneGone ? null : { id: `%${i}`, pid: 100 + i, dead: r.chance(0.2), deadStatus: null, deadSignal: null, currentCommand: "x" },
      paneRecorded: managed && r.chance(0.9),
      paneCount: paneGone || r.chance(0.1) ? 2 : 1,
      rosterId: r.pick([OWN, OWN, OWN, OTHER, null]),
    };
  });
}
