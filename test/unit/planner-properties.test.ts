import { describe, expect, it } from "vitest";
import { HEALTHY_HOST } from "../../src/observe/host-types.js";
import type { ObservedFleet } from "../../src/observe/types.js";
import { propertySeeds, replaying } from "../helpers/property-seeds.js";
import { OTHER, prng, randomRoster, randomSessions } from "../helpers/generated-worlds.js";
import { executionOrder } from "../../src/apply/order.js";
import { plan } from "../../src/plan/plan.js";
import { hasChanges, hasErrors } from "../../src/plan/predicates.js";
import { ROSTER_INTENT, STOP_INTENT, type Plan, type PlanIntent } from "../../src/plan/types.js";

function randomCase(seed: number) {
  const r = prng(seed);
  const desired = randomRoster(r);
  const sessions = randomSessions(r, desired);
  const callerPaneId = r.chance(0.3) ? `%${Math.floor(r.chance(0.5) ? 0 : 3)}` : null;
  const observed: ObservedFleet = { socket: "s", serverRunning: sessions.length > 0, serverVersion: "3.3a", sessions, unreadable: [], globalLabels: [], host: { ...HEALTHY_HOST, callerPaneId }, systemd: null, files: {}, installRecord: {} };
  const enabled = desired.agents.filter((a) => a.enabled).map((a) => a.name);
  const intent: PlanIntent = r.chance(0.25) ? STOP_INTENT : { ...ROSTER_INTENT, replace: enabled.filter(() => r.chance(0.2)) };
  return { desired, observed, intent };
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

describe("planner invariants over 500 generated worlds", () => {
  const seeds = propertySeeds(500);

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

  it("a converged world plans to nothing, and planning never creates over, changes or removes a session that is not this roster's", () => {
    for (const seed of seeds) {
      const { desired, observed, intent } = randomCase(seed);
      const p = plan(desired, observed, intent);
      const unmanaged = new Set(observed.sessions.filter((s) => !s.managed || (s.name !== "_holder" && s.rosterId === OTHER)).map((s) => s.name));
      expect(p.changes.filter((c) => unmanaged.has(c.name)), `seed ${seed}`).toEqual([]);
      if (hasErrors(p)) continue;
      const converged = simulate(observed, p);
      const q = plan(desired, converged, intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);
      expect(simulate(converged, q), `seed ${seed}`).toEqual(converged);
    }
  });

  it("the change that stops the caller's own pane runs after every other change, and the holder's delete after it", () => {
    let seen = 0;
    for (const seed of seeds) {
      const { desired, observed, intent } = randomCase(seed);
      const p = plan(desired, observed, intent);
      const order = executionOrder(p.changes).filter((c) => c.action !== "noop" && !c.held).map((c) => c.address);
      for (const c of p.changes.filter((x) => x.runsCaller)) {
        seen++;
        expect(c.type === "tmux.session" ? c.before?.pane?.id : null, `seed ${seed}`).toBe(observed.host.callerPaneId);
        const at = order.indexOf(c.address);
        const after = order.slice(at + 1);
        expect(after.every((a) => a === 'tmux.session["_holder"]'), `seed ${seed}: ${JSON.stringify(order)}`).toBe(true);
      }
    }
    if (!replaying) expect(seen).toBeGreaterThan(5);
  });

  it("every dependency is ordered before its dependant", () => {
    for (const seed of seeds) {
      const { desired, observed, intent } = randomCase(seed);
      const order = executionOrder(plan(desired, observed, intent).changes).map((c) => c.address);
      for (const c of plan(desired, observed, intent).changes) {
        for (const d of c.dependsOn) if (order.includes(d)) expect(order.indexOf(d), `seed ${seed}: ${c.address} after ${d}`).toBeLessThan(order.indexOf(c.address));
      }
    }
  });
});
