import { execa } from "execa";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";
import { writeLaunchFiles } from "../helpers/launch-files.js";
import { legacyLaunchFileContent } from "../helpers/legacy-launch-file.js";
import { launchFileContent } from "../../src/identity/launch-file.js";

const world = useFleetWorld();
let w: FleetWorld;
let launchDir: string;
beforeEach(() => {
  w = world();
  launchDir = join(w.home.path, "launch");
  mkdirSync(launchDir);
});

const script = join(repoRoot, "framework", "tools", "fleet", "start-agent-session.sh");
const start = (agent: string, dir = launchDir) => execa(script, [agent, dir], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });

describe("start-agent-session.sh, the systemd units' way to start a session", () => {
  it("starts sessions the planner cannot tell from its own, and starting again changes nothing", async () => {
    w.writeRoster([{ name: "alpha", command: "sh", args: ["-c", "exec sleep 1000", "ends;"] }, { name: "beta", env: { PATH: `/opt/none:${process.env.PATH}` } } as never]);
    await writeLaunchFiles(w, launchDir);
    for (const name of ["_holder", "alpha", "beta"]) {
      const r = await start(name);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.stdout).toBe("No changes. The fleet matches the roster.");
    expect(plan.exitCode).toBe(0);
    const pids = await w.panes();

    for (const name of ["_holder", "alpha", "beta"]) expect((await start(name)).exitCode).toBe(0);
    expect(await w.panes()).toEqual(pids);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);
  });

  it("leaves a dead agent or a session it did not make alone, and says so", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "taken" }]);
    await writeLaunchFiles(w, launchDir);
    expect((await start("_holder")).exitCode).toBe(0);
    expect((await start("alpha")).exitCode).toBe(0);
    process.kill((await w.panes()).alpha!, "SIGKILL");
    await expect.poll(async () => (await w.tmux(["display", "-p", "-t", "=alpha:", "#{pane_dead}"])).stdout, { timeout: 10_000 }).toBe("1");
    const dead = await start("alpha");
    expect(dead.exitCode).toBe(1);
    expect(dead.stderr).toContain("session alpha has no live agent pane; stop it first");

    await w.tmux(["new-session", "-d", "-s", "taken", "--", "sleep", "1000"]);
    const taken = await start("taken");
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toContain("a session named taken on socket");
  });

  it("never starts the tmux server for an agent: only the holder does, so the server lives in the holder unit's cgroup", async () => {
    w.writeRoster([{ name: "alpha" }]);
    await writeLaunchFiles(w, launchDir);
    const refused = await start("alpha");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("no tmux server on socket");
    expect(await w.sessionNames()).toEqual([]);
    expect((await start("_holder")).exitCode).toBe(0);
    expect((await start("alpha")).exitCode).toBe(0);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });

  it("refuses a bad name, a missing launch file and one that is not a launch file", async () => {
    expect((await start("../etc")).exitCode).toBe(2);
    const missing = await start("ghost");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("no launch file");
    writeFileSync(join(launchDir, "junk.launch"), "echo pwned\0x\0y\0z\0w\0v\0");
    const junk = await start("junk");
    expect(junk.exitCode).toBe(1);
    expect(junk.stderr).toContain("is not a mosaic launch file");
    // A launch file naming the user's own tmux server is refused before tmux is run.
    // In either format, as mosaic writes it now or as mosaic 0.1.0 did.
    const launch = { name: "deflt", argv: ["sleep", "100000"], cwd: "/", env: {}, labels: { managed: "1", spec: `v1:${"0".repeat(64)}` } } as const;
    for (const content of [launchFileContent(launch, "default", "/dev/null"), legacyLaunchFileContent(launch, "default", "/dev/null")]) {
      writeFileSync(join(launchDir, "deflt.launch"), content);
      const deflt = await start("deflt");
      expect(deflt.exitCode).toBe(1);
      expect(deflt.stderr).toContain('socket "default" is not a fleet socket');
    }
    expect(await w.sessionNames()).toEqual([]);
  });
});
