import { execa } from "execa";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
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

const unshare = await execa("unshare", ["-m", "--propagation", "private", "true"], { reject: false });
if (unshare.exitCode !== 0) console.warn(`SKIPPED: the full-disk test needs unshare -m: ${unshare.stderr.trim() || `exit ${unshare.exitCode}`}`);

describe.skipIf(unshare.exitCode !== 0)("mosaic's state folder on a full file system", () => {
  const world = useFleetWorld();

  it("an apply still makes the fleet, warns that it could not record it, and leaves no half-written file", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const state = join(w.home.path, "state");
    mkdirSync(state);
    // A 16 KiB tmpfs, filled, as XDG_STATE_HOME, in a mount namespace of the command's own.
    const script = `mount -t tmpfs -o size=16k tmpfs "$STATE" && { head -c 1048576 /dev/zero > "$STATE/fill"; true; } && "$@"; rc=$?; echo "left: $(find "$STATE" -name '.*tmp-*' | wc -l) temporary files" >&2; exit $rc`;
    const r = await execa("unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", process.execPath, cliPath, "fleet", "apply", "--auto-approve", "--roster", w.rosterPath], {
      env: { ...w.env, XDG_STATE_HOME: state, STATE: state, PATH: process.env.PATH ?? "" },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: could not record this apply under \S+ \(.*ENOSPC.*\); a later socket change will not be warned about/);
    expect(r.stderr).toContain("left: 0 temporary files");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });
});
