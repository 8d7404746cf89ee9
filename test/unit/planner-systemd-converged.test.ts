import { describe, expect, it } from "vitest";
import { plan } from "../../src/plan/plan.js";
import { propertySeeds, seedTally } from "../helpers/property-seeds.js";
import { HOLDER_SESSION } from "../../src/roster/types.js";
import { ofAnotherRoster } from "../../src/plan/ownership.js";
import { OWN } from "../helpers/generated-worlds.js";
import { apply, convergedCase, observedOf, pending } from "../helpers/systemd-world.js";

/**
 * A world already as the roster (or a stop) wants it under the systemd
 * backend, built by hand rather than by the simulator, with what is not
 * this roster's around it (test/helpers/systemd-world.ts, convergedCase).
 */
const seeds = propertySeeds(500);
const cases = seeds.map((seed) => {
  const c = convergedCase(seed);
  const before = observedOf(c.world, c.host, c.desired);
  return { seed, c, before, p: plan(c.desired, before, c.intent, c.settings) };
});
/** Worlds where a wrong plan has something to disturb: an agent of this roster running, or something of another owner beside the fleet. */
const crowded = cases.filter(({ c }) => [...c.world.sessions.values()].some((s) => s.name !== HOLDER_SESSION && (!s.managed || ofAnotherRoster(s, OWN) || (s.pane !== null && !s.pane.dead))));
// Every world is checked; about three quarters of those that hold something a wrong plan would disturb
// (measured at 500 seeds: 425; the rest are stopped fleets with nothing else on the socket).
const tally = seedTally(crowded.length, seeds, "held an agent or a session of another owner", 0.65);

describe(`converged worlds under the systemd backend, ${seeds.length} generated`, () => {
  it(`(b) a converged world plans to nothing, and running that plan changes nothing ${tally.title}`, async () => {
    tally.checkFloor();
    const problems: unknown[] = [];
    for (const { seed, c, before, p } of cases) {
      const errors = p.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0 || pending(p).length > 0) problems.push({ seed, errors, pending: pending(p) });
      const { after, violations } = await apply(c.world, p);
      if (violations.length > 0) problems.push({ seed, violations });
      if (JSON.stringify(observedOf(after, c.host, c.desired)) !== JSON.stringify(before)) problems.push({ seed, changed: true });
    }
    expect(problems).toEqual([]);
  });
});
