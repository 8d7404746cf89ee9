import { describe, expect, it } from "vitest";
import { HEALTHY_HOST } from "../../src/observe/host-types.js";
import type { ObservedFleet } from "../../src/observe/types.js";
import { propertySeeds, seedTally } from "../helpers/property-seeds.js";
import { OTHER, OWN, prng, randomRoster, randomSessions } from "../helpers/generated-worlds.js";
import { executionOrder } from "../../src/apply/order.js";
import { plan } from "../../src/plan/plan.js";
import { ofAnotherRoster } from "../../src/plan/ownership.js";
import { hasChanges, hasErrors } from "../../src/plan/predicates.js";
import { HOLDER_SESSION } from "../../src/roster/types.js";
import { ROSTER_INTENT, STOP_INTENT, type Plan, type PlanIntent } from "../../src/plan/types.js";

function randomCase(seed: number) {
  const r = prng(seed);
  const desired = randomRoster(r);
  // Half the worlds keep every session the generator makes; in the other half no session of another
  // owner holds a name the roster runs. Such a session is a plan error (name-taken), and an errored plan
  // is never applied: kept in every world, it left 191 of 500 seeds checking only that nothing foreign is touched.
  const tidy = r.chance(0.5);
  const wanted = (name: string) => name === HOLDER_SESSION || desired.agents.some((a) => a.name === name && a.enabled);
  const sessions = randomSessions(r, desired).filter((s) => !tidy || (s.managed && !ofAnotherRoster(s, OWN)) || !wanted(s.name));
  const callerPaneId = r.chance(0.3) ? `%${Math.floor(r.chance(0.5) ? 0 : 3)}` : null;
  const observed: ObservedFleet = { socket: "s", serverRunning: sessions.length > 0, serverVersion: "3.3a", sessions, unreadable: [], globalLabels: [], host: { ...HEALTHY_HOST, callerPaneId }, systemd: null, files: {}, installRecord: {} };
  const enabled = desired.agents.filter((a) => a.enabled).map((a) => a.name);
  const intent: PlanIntent = r.chance(0.25) ? STOP_INTENT : { ...ROSTER_INTENT, replace: enabled.filter(() => r.chance(0.2)) };
  return { seed, desired, observed, intent, p: plan(desired, observed, intent) };
}

/** What a perfect executor would leave behind: the plan's effects on the observation. */
function simulate(observed: ObservedFleet, p: Plan): ObservedFleet {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  let pid = 1000;
  for (const c of p.changes) {
    if (c.type !== "tmux.session" || c.action === "noop" || c.held) continue;
    if (c.action === "delete") sessions.delete(c.name);
    if (c.action === "update") sessions.set(c.name, { ...sessions.get(c.name)!, specHash: c.after.specHash, paneRecorded: true, rosterId: c.after.rosterId });
    if (c.action === "create" || c.action === "replace") {
      const id = pid++;
      sessions.set(c.name, {
        name: c.name,
        managed: true,
        specHash: c.after.specHash,
        specFields: c.after.specFields,
        launch: c.after.launch,
        createdAt: 2,
        pane: { id: `%${id}`, pid: id, dead: false, deadStatus: null, deadSignal: null, currentCommand: c.after.argv[0]! },
        paneRecorded: true,
        paneCount: 1,
        rosterId: c.after.rosterId,
      });
    }
  }
  const list = [...sessions.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  return { ...observed, serverRunning: list.length > 0, sessions: list };
}

const seeds = propertySeeds(500);
const cases = seeds.map(randomCase);
/** An errored plan is never applied: the invariants about applying hold for the others. */
const applicable = cases.filter((c) => !hasErrors(c.p));
const changing = applicable.filter((c) => hasChanges(c.p));
const foreignOf = (c: (typeof cases)[number]) => new Set(c.observed.sessions.filter((s) => !s.managed || (s.name !== HOLDER_SESSION && s.rosterId === OTHER)).map((s) => s.name));
const withForeign = cases.filter((c) => foreignOf(c).size > 0);
const callerStops = cases.filter((c) => c.p.changes.some((x) => x.runsCaller));
const ordered = cases.filter((c) => c.p.changes.some((x) => x.action !== "noop" && x.dependsOn.length > 0));

// Each floor is about three quarters of what the generator yields (measured at 500 seeds: 414 plans
// with changes, 269 worlds with a foreign session, 425 plans without error, 49 stopping the caller,
// 391 with dependencies): a generator change that starves a property fails here instead of passing
// on a handful of seeds, and the margin leaves room for a planner change that fairly refuses a few more.
const tallies = {
  applied: seedTally(changing.length, seeds, "made a plan with changes and no error", 0.6),
  foreign: seedTally(withForeign.length, seeds, "held a session that is not this roster's", 0.4),
  converged: seedTally(applicable.length, seeds, "made a plan with no error", 0.7),
  caller: seedTally(callerStops.length, seeds, "stopped the caller's own pane", 0.05),
  ordered: seedTally(ordered.length, seeds, "planned a change with dependencies", 0.6),
};

describe(`planner invariants over ${seeds.length} generated worlds`, () => {
  it(`applying a plan to a simulated world reaches the target: replanning finds no changes ${tallies.applied.title}`, () => {
    tallies.applied.checkFloor();
    for (const { seed, desired, observed, intent, p } of changing) {
      const after = simulate(observed, p);
      const again = plan(desired, after, intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);
      expect(hasChanges(again), `seed ${seed}: ${JSON.stringify(again.changes.filter((c) => c.action !== "noop"))}`).toBe(false);
    }
  });

  it(`planning never creates over, changes or removes a session that is not this roster's ${tallies.foreign.title}`, () => {
    tallies.foreign.checkFloor();
    for (const c of withForeign) {
      const foreign = foreignOf(c);
      expect(c.p.changes.filter((x) => foreign.has(x.name)), `seed ${c.seed}`).toEqual([]);
    }
  });

  it(`a converged world plans to nothing ${tallies.converged.title}`, () => {
    tallies.converged.checkFloor();
    for (const { seed, desired, observed, intent, p } of applicable) {
      const converged = simulate(observed, p);
      const q = plan(desired, converged, intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);
      expect(simulate(converged, q), `seed ${seed}`).toEqual(converged);
    }
  });

  it(`the change that stops the caller's own pane runs after every other change, and the holder's delete after it ${tallies.caller.title}`, () => {
    tallies.caller.checkFloor();
    for (const { seed, observed, p } of callerStops) {
      const order = executionOrder(p.changes).filter((c) => c.action !== "noop" && !c.held).map((c) => c.address);
      for (const c of p.changes.filter((x) => x.runsCaller)) {
        expect(c.type === "tmux.session" ? c.before?.pane?.id : null, `seed ${seed}`).toBe(observed.host.callerPaneId);
        const after = order.slice(order.indexOf(c.address) + 1);
        expect(after.every((a) => a === 'tmux.session["_holder"]'), `seed ${seed}: ${JSON.stringify(order)}`).toBe(true);
      }
    }
  });

  it(`every dependency is ordered before its dependant ${tallies.ordered.title}`, () => {
    tallies.ordered.checkFloor();
    for (const { seed, p } of cases) {
      const order = executionOrder(p.changes).map((c) => c.address);
      for (const c of p.changes) {
        for (const d of c.dependsOn) if (order.includes(d)) expect(order.indexOf(d), `seed ${seed}: ${c.address} after ${d}`).toBeLessThan(order.indexOf(c.address));
      }
    }
  });
});
