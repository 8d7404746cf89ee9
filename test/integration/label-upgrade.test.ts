import { execa } from "execa";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { echoFleet, operator, received, waitFor } from "../helpers/echo-agents.js";
import { useFleetWorld } from "../helpers/fleet-env.js";
import { writeLaunchFiles } from "../helpers/launch-files.js";

/** Whether a process runs; a zombie tmux has not reaped yet has ended. */
const alive = (pid: number) => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== undefined && state !== "Z";
  } catch {
    return false;
  }
};

/**
 * Sessions an older mosaic started carry each fact in its own tmux option
 * (@mosaic-managed, @mosaic-spec, @mosaic-pane, ...) instead of one
 * `@mosaic` label. After an upgrade they must go on as they are: read as
 * the same agents, never replaced for the change of format, and still
 * reachable and stoppable, by mosaic and by the unit scripts alike.
 */
describe("sessions labelled by an older mosaic", () => {
  const world = useFleetWorld();

  it("are the same agents: nothing to change, messages arrive, and stop ends them", async () => {
    const w = world();
    const { log } = await echoFleet(w, [{ name: "beta" }]);
    const pids = await w.panes();
    for (const name of ["_holder", "alpha", "beta"]) await w.olderLabels(name);
    expect((await w.tmux(["show-options", "-v", "-t", "=alpha:", "@mosaic-managed"])).stdout).toBe("1");

    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.stdout).toBe("No changes. The fleet matches the roster.");
    expect(plan.exitCode).toBe(0);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);

    await w.ok(["agent", "send", "alpha", "--message", "after the upgrade"]);
    await waitFor(() => received(log).length === 1);
    expect(received(log)).toEqual([`[from ${operator}] after the upgrade`]);

    await w.ok(["fleet", "apply", "--auto-approve"]);
    expect(await w.panes()).toEqual(pids);

    await w.ok(["fleet", "stop"]);
    expect(Object.values(pids).filter(alive)).toEqual([]);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("are adopted by the unit scripts as they run, and stopped by them", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    const pids = await w.panes();
    for (const name of ["_holder", "alpha"]) await w.olderLabels(name);
    const launchDir = join(w.home.path, "launch");
    mkdirSync(launchDir);
    await writeLaunchFiles(w, launchDir);
    const env = { ...w.env, PATH: process.env.PATH ?? "" };
    const script = (name: string) => join(repoRoot, "framework", "tools", "fleet", name);

    const start = await execa(script("start-agent-session.sh"), ["alpha", launchDir], { env, extendEnv: false, reject: false });
    expect(start.exitCode, start.stderr).toBe(0);
    expect(await w.panes()).toEqual(pids);

    const stop = await execa(script("stop-agent-session.sh"), ["alpha", launchDir], { env, extendEnv: false, reject: false });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(alive(pids.alpha!)).toBe(false);
    expect(await w.sessionNames()).toEqual(["_holder"]);
  });
});
