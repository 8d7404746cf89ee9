import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { alive } from "../helpers/processes.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PANE_FIELDS } from "../../src/adapters/tmux.js";
import { mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
let victim: number;


beforeEach(() => {
  w = world();
  // A process of the same user, outside the fleet, in a process group of its own.
  const child = spawn("sleep", ["100000"], { detached: true, stdio: "ignore" });
  child.unref();
  victim = child.pid!;
});
afterEach(() => {
  process.kill(victim, "SIGKILL");
});

/** A row in the observer's own format naming the victim as a managed session's agent pid. */
function forgedRow(session: string, pid: number): string {
  const values: Record<string, string> = { session_name: session, window_index: "0", pane_index: "0", pane_id: "%999", pane_pid: String(pid), pane_dead: "0", session_created: "1", pane_current_command: "sleep", managed: "1", spec: `v1:${"0".repeat(64)}`, launch: "resume", server_version: "3.3a" };
  return PANE_FIELDS.map(([name]) => values[name] ?? "").join("\t");
}

/** Agents whose process names carry tabs, newlines, tmux format syntax and whole forged rows. */
function hostileRoster(): void {
  const names = [
    `x\n${forgedRow("ghost", victim)}`,
    `tab\there\tand\tthere`,
    `#{pane_pid}#{session_name}#(touch ${join(w.home.path, "format-ran")})`,
    `line\n${forgedRow("_holder", 1)}\n`,
  ];
  // bash's exec -a sets the process name the pane reports; the name arrives as an argument, never as code.
  w.writeRoster(names.map((n, i) => ({ name: `hostile-${i}`, command: "bash", args: ["-c", 'exec -a "$1" sleep 1000', "bash", n] })));
}

describe("agents whose process names try to steer the fleet", () => {
  it("a victim outside the fleet survives plan, apply, restart and stop, and every agent stays visible", async () => {
    hostileRoster();
    const start = await w.mosaic(["fleet", "start"]);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toContain("Apply complete! Resources: 5 added");

    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toBe("No changes. The fleet matches the roster.");
    const status = await w.mosaic(["fleet", "status", "--json"]);
    expect(status.exitCode).toBe(0);
    const rows = JSON.parse(status.stdout).sessions as { name: string; alive: boolean; drift: string | null }[];
    expect(rows.map((r) => [r.name, r.alive, r.drift])).toEqual([
      ["_holder", true, null],
      ["hostile-0", true, null],
      ["hostile-1", true, null],
      ["hostile-2", true, null],
      ["hostile-3", true, null],
    ]);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);

    const restart = await w.mosaic(["fleet", "restart"]);
    expect(restart.exitCode).toBe(0);
    expect(restart.stdout).not.toContain('tmux.session["ghost"]');
    expect(restart.stdout).toContain("Plan: 4 to add, 0 to change, 4 to destroy.");
    const stop = await w.mosaic(["fleet", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain("Verified: the fleet is stopped.");
    expect(await w.sessionNames()).toEqual([]);

    expect(alive(victim)).toBe(true);
    expect(existsSync(join(w.home.path, "format-ran"))).toBe(false);
  });

  it("stop signals a dead pane's process group, so children started with nohup do not outlive it", async () => {
    const pidFile = join(w.home.path, "child.pid");
    // The agent leaves a HUP-immune child in its process group and exits once the child has said so (its
    // pid in the file): its pane is dead. A long ready_after_seconds: the apply waits for that death.
    w.writeRoster([{ name: "leaky", ready_after_seconds: 60, command: "sh", args: ["-c", `sh -c 'trap "" HUP; echo $$ > "$1"; exec sleep 100000' sh "$1" >/dev/null 2>&1 & while [ ! -s "$1" ]; do sleep 0.01; done; exit 3`, "sh", pidFile] }], {
      defaults: { command: "sleep", stop_grace_seconds: 2, ready_after_seconds: 2 },
    });
    // It dies within its ready_after_seconds, so the start fails, naming it.
    const start = await w.mosaic(["fleet", "start"]);
    expect(start.exitCode).toBe(1);
    expect(start.stderr).toContain('tmux.session["leaky"]: not ready');
    const child = Number(readFileSync(pidFile, "utf8"));
    await expect.poll(async () => (await w.tmux(["display", "-p", "-t", "=leaky:", "#{pane_dead}"])).stdout, { timeout: 10_000 }).toBe("1");
    expect(alive(child)).toBe(true);

    const stop = await w.mosaic(["fleet", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(alive(child)).toBe(false);
    expect(alive(victim)).toBe(true);
  });

  it("a split window is not the agent: status shows the agent's own pane, and stop never signals the other", async () => {
    const marker = join(w.home.path, "split-got-term");
    w.writeRoster([{ name: "alpha" }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const agentPid = (await w.panes()).alpha!;
    // The user splits the agent's window; the new pane becomes the active one.
    const split = await w.tmux(["split-window", "-t", "=alpha:", "--", "sh", "-c", 'trap "echo TERM > $0; exit" TERM; while :; do sleep 0.1; done', marker]);
    expect(split.exitCode).toBe(0);

    const status = JSON.parse((await w.mosaic(["agent", "status", "alpha", "--json"])).stdout).sessions[0];
    expect(status).toMatchObject({ name: "alpha", alive: true, pid: agentPid, drift: null });
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.stdout).toMatch(/Warning: session "alpha" has 2 panes; mosaic manages only the agent's own \(%\d+\) and never signals the others, but they close with the session when it is replaced or removed/);

    const stop = await w.mosaic(["fleet", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(alive(agentPid)).toBe(false);
  });

  it("when the agent's window is closed and another pane remains, that is drift, not a live agent", async () => {
    w.writeRoster([{ name: "alpha" }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const agentPane = (await w.tmux(["display", "-p", "-t", "=alpha:", "#{pane_id}"])).stdout;
    expect((await w.tmux(["new-window", "-d", "-t", "=alpha:", "--", "sleep", "1000"])).exitCode).toBe(0);
    expect((await w.tmux(["kill-pane", "-t", agentPane])).exitCode).toBe(0);

    const verify = await w.mosaic(["fleet", "verify"]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toContain("FAIL  alpha: the agent's own pane is gone");
    const status = JSON.parse((await w.mosaic(["agent", "status", "alpha", "--json"])).stdout).sessions[0];
    expect(status).toMatchObject({ alive: false, pid: null, drift: "pane-missing" });

    const apply = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(apply.exitCode).toBe(0);
    expect(apply.stdout).toMatch(/^-\/\+ alpha +replace: the agent's own pane is gone; 1 other pane remains and closes with the session$/m);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);
  });

  it.each([
    ["its @mosaic label", {}],
    ["the separate @mosaic-pane an older mosaic wrote", { legacy: "pane" }],
  ])("a pane id an agent writes into %s cannot point a restart at another agent", async (_, how) => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "start"]);
    const beta = (await w.panes()).beta!;
    const betaPane = (await w.tmux(["display", "-p", "-t", "=beta:", "#{pane_id}"])).stdout;
    await w.rewriteLabel("alpha", "pane", betaPane, how);
    const restart = await w.mosaic(["fleet", "restart", "--agent", "alpha"]);
    expect(restart.exitCode).toBe(0);
    expect(alive(beta)).toBe(true);
    expect((await w.panes()).beta).toBe(beta);
  });

  it("nor can a window it links in from another agent's session: that pane is no one's, and nothing signals it as alpha's", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "start"]);
    const betaPane = (await w.tmux(["display", "-p", "-t", "=beta:", "#{pane_id}"])).stdout;
    expect((await w.tmux(["link-window", "-d", "-s", "=beta:0", "-t", "=alpha:5"])).exitCode).toBe(0);
    await w.rewriteLabel("alpha", "pane", betaPane);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.stdout).toContain(`the agent's recorded pane ${betaPane} is also in session beta (a linked window), so it cannot be told whose it is`);
    expect(plan.stdout).not.toContain(`SIGTERM to pane ${betaPane}'s`);
    await w.ok(["fleet", "restart", "--agent", "alpha"]);
    expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode).toBe(0);
    const panes = (await w.tmux(["list-panes", "-a", "-F", "#{session_name} #{pane_id} #{window_linked}"])).stdout.split("\n").sort();
    expect(panes.filter((l) => l.startsWith("alpha ") || l.startsWith("beta "))).toHaveLength(2);
    expect(panes.every((l) => l.endsWith(" 0"))).toBe(true);
  });

  it("a server left with no sessions is an empty fleet, not an error", async () => {
    w.writeRoster([{ name: "alpha" }]);
    // A server that outlives its last session (exit-empty off), as tmux briefly is after a kill.
    expect((await w.tmux(["new-session", "-d", "-s", "tmp", "--", "sleep", "1000"])).exitCode).toBe(0);
    await w.tmux(["set-option", "-s", "exit-empty", "off"]);
    await w.tmux(["kill-session", "-t", "=tmp"]);
    expect((await w.tmux(["list-panes", "-a"])).stderr).toContain("no current target");

    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.stderr).toBe("");
    expect(plan.exitCode).toBe(2);
    expect((await w.mosaic(["fleet", "stop"])).exitCode).toBe(0);
    const start = await w.mosaic(["fleet", "start"]);
    expect(start.exitCode).toBe(0);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });

  it.each([
    ["-g", "@mosaic", "v2 managed=1"],
    ["-s", "@mosaic", "v2 managed=1"],
    ["-gw", "@mosaic", "v2 managed=1"],
    ["-g", "@mosaic-managed", "1"],
  ])("a label set for every session at once (set-option %s %s) labels none: mosaic refuses to act and signals nothing", async (scope, name, value) => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    // A session of the user's own on the fleet's socket, which mosaic never made.
    expect((await w.tmux(["new-session", "-d", "-s", "mine", "--", "sleep", "100000"])).exitCode).toBe(0);
    const mine = (await w.panes()).mine!;
    // What any agent can run from its pane: one option that every session inherits.
    expect((await w.tmux(["set-option", scope, name, value])).exitCode).toBe(0);
    for (const args of [["fleet", "plan"], ["fleet", "stop"], ["fleet", "stop", "--socket", w.socket]]) {
      const r = args.includes("--socket") ? await mosaic(args, w.env) : await w.mosaic(args);
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stdout + r.stderr).toContain(`set for every session at once on socket "${w.socket}"`);
      expect(r.stdout + r.stderr).toContain(`tmux -L ${w.socket} set-option -gu ${name} \\; set-option -su ${name} \\; set-option -gwu ${name}`);
    }
    for (const args of [["fleet", "verify"], ["agent", "send", "alpha", "--message", "x"], ["agent", "tail", "alpha"], ["agent", "status", "alpha"]]) {
      const r = await w.mosaic(args);
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stdout + r.stderr, args.join(" ")).toContain("set for every session at once");
    }
    expect(alive(mine)).toBe(true);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "mine"]);
  });

  it("an agent that unlabels itself escapes fleet stop, and stop says so instead of claiming the fleet is stopped", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "start"]);
    const alpha = (await w.panes()).alpha!;
    await w.rewriteLabel("alpha", "managed", "0");
    const r = await w.mosaic(["fleet", "stop"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("Verified: the fleet is stopped.");
    expect(r.stdout).toContain(`Verified: every session mosaic made is stopped. Left running, not labelled as mosaic's: "alpha"`);
    expect(alive(alpha)).toBe(true);
    expect(await w.sessionNames()).toEqual(["alpha"]);
  });
});
