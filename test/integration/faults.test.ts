import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useFleetWorld, type FleetWorld } from "../helpers/fleet-env.js";

/**
 * An apply killed outright (SIGKILL: a power cut, the OOM killer) after any
 * step of a plan that creates, replaces and deletes: the next apply must
 * converge, with each agent's session once, no stale lock, and no
 * half-written file. MOSAIC_TEST_KILL_AFTER_STEP=K is read only for this
 * (src/cli/fleet-command.ts).
 */
describe("an apply killed after any step", () => {
  const world = useFleetWorld();

  /** b and c run; the roster then adds a, changes b and drops c: one create, one replace (two steps), one delete. */
  const fleetBefore = async (w: FleetWorld) => {
    w.writeRoster([{ name: "b" }, { name: "c" }]);
    await w.ok(["fleet", "start"]);
    w.writeRoster([{ name: "a" }, { name: "b", args: ["2000"] }]);
  };

  it("converges on the next apply, whichever step it was killed after", async () => {
    const probe = world();
    await fleetBefore(probe);
    const plan = JSON.parse((await probe.ok(["fleet", "plan", "--json"])).stdout) as { resource_changes: { action: string; steps: unknown[] }[] };
    const steps = plan.resource_changes.filter((c) => c.action !== "noop").reduce((n, c) => n + c.steps.length, 0);
    expect(steps).toBe(4);

    for (let k = 1; k <= steps; k++) {
      const w = k === 1 ? probe : world();
      if (k > 1) await fleetBefore(w);
      const killed = await w.mosaic(["fleet", "apply", "--auto-approve"], { env: { MOSAIC_TEST_KILL_AFTER_STEP: String(k) } });
      expect(killed.exitCode, `killed after step ${k}`).not.toBe(0);
      expect(killed.stdout, `killed after step ${k}`).not.toContain("Apply complete!");

      // No lock left behind: a lock timeout of 0 would refuse a held one.
      const next = await w.mosaic(["fleet", "apply", "--auto-approve", "--lock-timeout", "0"]);
      expect(next.exitCode, `after step ${k}: ${next.stdout}\n${next.stderr}`).toBe(0);
      expect(await w.sessionNames(), `after step ${k}`).toEqual(["_holder", "a", "b"]);
      const b = (await w.tmux(["display-message", "-p", "-t", "=b:", "#{pane_current_command} #{pane_start_command}"])).stdout;
      expect(b, `after step ${k}`).toContain("2000");
      expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode, `after step ${k}`).toBe(0);
      // Every file mosaic keeps is whole: its state parses, and no temporary file is left beside it.
      const stateDir = join(w.home.path, ".local", "state", "mosaic");
      for (const f of readdirSync(stateDir, { recursive: true, encoding: "utf8" })) {
        expect(f, `after step ${k}`).not.toMatch(/\.tmp-/);
        if (f.endsWith(".json")) expect(() => JSON.parse(readFileSync(join(stateDir, f), "utf8")), `${f} after step ${k}`).not.toThrow();
      }
    }
  }, 120_000);
});
