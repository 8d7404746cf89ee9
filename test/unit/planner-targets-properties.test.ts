import { describe, expect, it } from "vitest";
import { agentOf } from "../../src/plan/agents.js";
import { plan } from "../../src/plan/plan.js";
import { hasErrors } from "../../src/plan/predicates.js";
import { unitOfSession } from "../../src/identity/units.js";
import { HOLDER_SESSION } from "../../src/roster/types.js";
import { NAMES, prng } from "../helpers/generated-worlds.js";
import { propertySeeds, seedTally } from "../helpers/property-seeds.js";
import { apply, observedOf, pending, randomCase, type World } from "../helpers/systemd-world.js";

/**
 * `fleet start --agent X` and `fleet stop --agent X` (PlanIntent.only),
 * over generated systemd worlds: the plan holds X's changes and what they
 * wait for, the executor touches no other agent's session or unit, and
 * planned again with the same limit, X has nothing left to change.
 */
const seeds = propertySeeds(500);
const cases = seeds.map((seed) => {
  const c = randomCase(seed);
  const agent = prng(seed ^ 0x5eed).pick(NAMES.filter((n) => n !== HOLDER_SESSION));
  const intent = { ...c.intent, replace: [], fresh: [], only: [agent] };
  const observed = observedOf(c.world, c.host, c.desired);
  return { c, agent, intent, p: plan(c.desired, observed, intent, c.settings) };
});
const ran = await Promise.all(cases.filter((x) => !hasErrors(x.p) && pending(x.p).length > 0).map(async (x) => ({ ...x, ...(await apply(x.c.world, x.p)) })));
const tally = seedTally(ran.length, seeds, "applied a limited plan with changes", 0.3);

const sessionOf = (w: World, name: string) => JSON.stringify(w.sessions.get(name) ?? null);
/**
 * What a systemctl call could do to a unit: start or stop it, enable or disable it. (A daemon-reload the
 * agent needs is the manager's: it loads and refreshes every unit, which is no change made to one.)
 */
const unitState = (w: World, name: string) => {
  const u = w.units?.get(unitOfSession(name));
  return u === undefined || u.loadState === "not-found" ? "not loaded" : `${u.activeState} ${u.unitFileState}`;
};

describe(`plans limited to one agent, over ${seeds.length} generated worlds`, () => {
  it("hold only that agent's changes and the fleet's own changes they wait for", () => {
    for (const { c, agent, p } of cases) {
      const addresses = new Set(p.changes.map((x) => x.address));
      for (const x of p.changes) {
        const owner = agentOf(x);
        if (owner === agent) continue;
        expect(owner, `seed ${c.seed}: ${x.address} in a plan for ${agent}`).toBeNull();
        // The fleet's own change is there only because one of the agent's waits for it, directly or not.
        expect(p.changes.some((y) => y.dependsOn.includes(x.address)), `seed ${c.seed}: ${x.address} waited for by nothing`).toBe(true);
      }
      // What a change waits for is in the plan: the executor orders by it.
      for (const x of p.changes) for (const a of x.dependsOn) expect(addresses.has(a), `seed ${c.seed}: ${x.address} waits for ${a}`).toBe(true);
    }
  });

  it(`leave every other agent's session and unit as they were, and leave nothing for that agent to change ${tally.title}`, () => {
    tally.checkFloor();
    for (const { c, agent, intent, after, violations } of ran) {
      expect(violations, `seed ${c.seed}`).toEqual([]);
      for (const other of NAMES.filter((n) => n !== agent && n !== HOLDER_SESSION)) {
        expect(sessionOf(after, other), `seed ${c.seed}: session ${other}`).toBe(sessionOf(c.world, other));
        // A unit with no session runs nothing: restarting the holder's unit (which the agent needs) stops it with it, as a full apply would.
        if (unitState(c.world, other) !== "not loaded" && c.world.sessions.has(other)) expect(unitState(after, other), `seed ${c.seed}: unit of ${other}`).toBe(unitState(c.world, other));
      }
      const again = plan(c.desired, observedOf(after, c.host, c.desired), intent, c.settings);
      expect(pending(again).filter((x) => x.includes(`["${agent}"]`) || x.includes(`@${agent}.`)), `seed ${c.seed}`).toEqual([]);
    }
  });
});
