import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";
import { writeLaunchFiles } from "../helpers/launch-files.js";

const world = useFleetWorld();
let w: FleetWorld;
let launchDir: string;
let victim: number;
beforeEach(() => {
  w = world();
  launchDir = join(w.home.path, "launch");
  mkdirSync(launchDir);
  const child = spawn("sleep", ["100000"], { detached: true, stdio: "ignore" });
  child.unref();
  victim = child.pid!;
});
afterEach(() => {
  process.kill(victim, "SIGKILL");
});

const script = join(repoRoot, "framework", "tools", "fleet", "stop-agent-session.sh");
const stop = (agent: string) => execa(script, [agent, launchDir], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Start the world's roster with mosaic itself, then write the launch files a unit's ExecStop reads. */
async function startFleet(): Promise<Record<string, number>> {
  await w.ok(["fleet", "start"]);
  await writeLaunchFiles(w, launchDir);
  return w.panes();
}

describe("stop-agent-session.sh, the systemd units' way to stop a session", () => {
  it("stops the agent's process group within its grace, then removes the session, touching nothing else", async () => {
    w.writeRoster([
      { name: "alpha" },
      { name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 0.1; done"] },
      { name: "named", command: "bash", args: ["-c", 'exec -a "$1" sleep 1000', "bash", `x\n_holder\t0\t0\t%1\t${victim}`] },
    ]);
    const pids = await startFleet();
    for (const name of ["alpha", "stubborn", "named"]) {
      const r = await stop(name);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(alive(pids[name]!), name).toBe(false);
    }
    expect(await w.sessionNames()).toEqual(["_holder"]);
    expect(alive(victim)).toBe(true);
    expect((await stop("alpha")).exitCode).toBe(0); // nothing left to stop
  });

  it("takes the grace mosaic wrote into the launch file, never one the agent wrote into its session's labels", async () => {
    w.writeRoster([{ name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 0.1; done"], stop_grace_seconds: 1 }] as never);
    const pids = await startFleet();
    // What the agent itself can do from inside its pane: claim ten minutes to finish.
    await w.rewriteLabel("stubborn", "grace", "600");
    const r = await execa(script, ["stubborn", launchDir], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false, timeout: 30_000 });
    expect(r.timedOut, "the stop waited out the agent's own grace").toBe(false);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(alive(pids.stubborn!)).toBe(false);
  });

  it("signals a dead pane's group, so nohup'd children do not outlive the unit", async () => {
    const pidFile = join(w.home.path, "child.pid");
    w.writeRoster([{ name: "leaky", command: "sh", args: ["-c", `sh -c 'trap "" HUP; echo $$ > "$1"; exec sleep 100000' sh "$1" >/dev/null 2>&1 & while [ ! -s "$1" ]; do sleep 0.01; done; exit 3`, "sh", pidFile] }], {
      defaults: { command: "sleep", stop_grace_seconds: 1, ready_after_seconds: 0 },
    });
    await w.mosaic(["fleet", "start"]); // the agent exits at once: not ready, by design
    await writeLaunchFiles(w, launchDir);
    await expect.poll(async () => (await w.tmux(["display", "-p", "-t", "=leaky:", "#{pane_dead}"])).stdout, { timeout: 10_000 }).toBe("1");
    const child = Number(readFileSync(pidFile, "utf8"));
    expect(alive(child)).toBe(true);
    expect((await stop("leaky")).exitCode).toBe(0);
    expect(alive(child)).toBe(false);
  });

  it("never signals a pane split off beside the agent, and leaves a session it did not make alone", async () => {
    const marker = join(w.home.path, "split-got-term");
    w.writeRoster([{ name: "alpha" }, { name: "taken" }]);
    await startFleet();
    await w.tmux(["split-window", "-t", "=alpha:", "--", "sh", "-c", 'trap "echo TERM > $0; exit" TERM; while :; do sleep 0.1; done', marker]);
    expect((await stop("alpha")).exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);

    await w.tmux(["kill-session", "-t", "=taken"]);
    await w.tmux(["new-session", "-d", "-s", "taken", "--", "sleep", "1000"]);
    const r = await stop("taken");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("was not made by mosaic; left it alone");
    expect(await w.sessionNames()).toContain("taken");
  });

  it.each([
    ["its @mosaic label", {}],
    ["the separate @mosaic-pane an older mosaic wrote", { legacy: "pane" }],
  ])("a pane id an agent wrote into %s cannot point the stop at another agent", async (_, how) => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const pids = await startFleet();
    const betaPane = (await w.tmux(["display", "-p", "-t", "=beta:", "#{pane_id}"])).stdout;
    // What an agent can do from inside its pane: tmux set-option on its own session.
    await w.rewriteLabel("alpha", "pane", betaPane, how);
    const r = await stop("alpha");
    expect(r.exitCode).toBe(0);
    expect(alive(pids.beta!)).toBe(true);
    expect(await w.sessionNames()).toEqual(["_holder", "beta"]);
  });
});

