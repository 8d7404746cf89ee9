import { describe, expect, it } from "vitest";
import { plan } from "../../src/plan/plan.js";
import { propertySeeds } from "../helpers/property-seeds.js";
import { apply, convergedCase, observedOf, pending } from "../helpers/systemd-world.js";

/**
 * A world already as the roster (or a stop) wants it under the systemd
 * backend, built by hand rather than by the simulator, with what is not
 * this roster's around it (test/helpers/systemd-world.ts, convergedCase).
 */
describe("converged worlds under the systemd backend, 500 generated", () => {
  const seeds = propertySeeds(500);

  it("(b) a converged world plans to nothing, and running that plan changes nothing", async () => {
    const problems: unknown[] = [];
    for (const seed of seeds) {
      const c = convergedCase(seed);
      const before = observedOf(c.world, c.host, c.desired);
      const p = plan(c.desired, before, c.intent, c.settings);
      const errors = p.diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0 || pending(p).length > 0) problems.push({ seed, errors, pending: pending(p) });
      const { after, violations } = await apply(c.world, p);
      if (violations.length > 0) problems.push({ seed, violations });
      if (JSON.stringify(observedOf(after, c.host, c.desired)) !== JSON.stringify(before)) problems.push({ seed, changed: true });
    }
    expect(problems).toEqual([]);
  });
});
