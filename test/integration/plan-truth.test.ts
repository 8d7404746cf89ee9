import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

describe("readiness: Verified means alive after ready_after_seconds", () => {
  it("an agent that dies after a second fails the apply, named, instead of being reported verified", async () => {
    // brief's window is far longer than its life: the apply waits for its death, however slow the machine.
    w.writeRoster([{ name: "alpha" }, { name: "brief", command: "sh", args: ["-c", "sleep 1; exit 4"], ready_after_seconds: 60 }], {
      defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 2, ready_after_seconds: 2 },
    });
    const r = await w.mosaic(["fleet", "start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toContain("Apply complete!");
    // With its exit status once tmux has reaped it (it does so lazily, and may not have yet).
    expect(r.stderr).toMatch(/tmux\.session\["brief"\]: not ready: its process exited within 60s \(ready_after_seconds\)( with status 4)?$/m);
    expect(r.stderr).not.toContain('tmux.session["alpha"]');
  });
});

describe("the plan knows before it asks", () => {
  it("a missing working directory, a file as one, and a command not on the PATH are plan errors, and apply changes nothing", async () => {
    writeFileSync(join(w.home.path, "a-file"), "");
    w.writeRoster([
      { name: "gone", cwd: join(w.home.path, "nowhere") } as never,
      { name: "file", cwd: join(w.home.path, "a-file") } as never,
      { name: "nocmd", command: "no-such-agent-xyz" },
      { name: "fine" },
    ]);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain(`Error: gone: working directory ${join(w.home.path, "nowhere")} does not exist`);
    expect(plan.stdout).toContain(`Error: file: working directory ${join(w.home.path, "a-file")} is not a directory`);
    expect(plan.stdout).toMatch(/Error: nocmd: command "no-such-agent-xyz" is not found on the PATH the agent gets \(/);
    const apply = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain("error: the plan has errors (above); nothing was changed");
    expect(await w.sessionNames()).toEqual([]);
  });

  it("a working directory behind a symbolic link loop is a plan error, not an unexpected failure", async () => {
    const loop = join(w.home.path, "loop");
    symlinkSync(loop, loop);
    w.writeRoster([{ name: "looped", cwd: join(loop, "x") } as never]);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).not.toContain("unexpected");
    expect(plan.stdout).toContain(`Error: looped: working directory ${join(loop, "x")} cannot be reached (a symbolic link loop`);
  });

  it("looks the command up on the PATH of the command that launches it, which tmux hands the new pane", async () => {
    const bin = join(w.home.path, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "myagent"), "#!/bin/sh\nexec sleep 1000\n");
    chmodSync(join(bin, "myagent"), 0o755);
    const withBin = `${bin}:${process.env.PATH}`;
    w.writeRoster([{ name: "first" }]);
    // The fleet's server starts from a caller whose PATH has bin/ ...
    await w.ok(["fleet", "start"], { env: { PATH: withBin } });
    w.writeRoster([{ name: "first" }, { name: "second", command: "myagent" }]);
    // ... but a later caller's PATH lacks it, and that is the PATH the new pane gets.
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain(`Error: second: command "myagent" is not found on the PATH the agent gets (${process.env.PATH})`);
    expect((await w.mosaic(["fleet", "plan"], { env: { PATH: withBin } })).exitCode).toBe(0);
  });

  it("an argument longer than Linux passes to a program is a plan error; tmux's 16 KB command cap is none (launches go on its stdin)", async () => {
    w.writeRoster([{ name: "long", args: ["1000", "x".repeat(17_000)] }]);
    expect((await w.mosaic(["fleet", "plan"])).exitCode).toBe(0);
    w.writeRoster([{ name: "long", args: ["1000", "x".repeat(131_072)] }]);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain("Error: long: one of its arguments or environment values is 131072 bytes; Linux passes at most 131071 in one.");
  });

  it("a socket path too long for a Unix socket, and a socket folder others can use, are plan errors", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const deep = join(w.home.path, "d".repeat(100));
    mkdirSync(deep, { mode: 0o700 });
    const tooLong = await w.mosaic(["fleet", "plan"], { env: { TMUX_TMPDIR: deep } });
    expect(tooLong.exitCode).toBe(1);
    expect(tooLong.stdout).toMatch(/Error: the tmux socket path \S+ is \d+ bytes; a Unix socket path holds at most 107/);

    const open = join(w.home.path, "open");
    mkdirSync(join(open, `tmux-${process.getuid!()}`), { recursive: true });
    chmodSync(join(open, `tmux-${process.getuid!()}`), 0o755);
    const unsafe = await w.mosaic(["fleet", "apply", "--auto-approve"], { env: { TMUX_TMPDIR: open } });
    expect(unsafe.exitCode).toBe(1);
    expect(unsafe.stdout).toContain("has mode 0755: other users can reach it; tmux refuses to use it");
    expect(unsafe.stderr).not.toContain("unexpected");
  });

  it.each([
    ["cannot connect for want of resources", "Resource temporarily unavailable"],
    ["may not connect", "Permission denied"],
    ["is out of file descriptors", "Too many open files"],
  ])("a server that answers listing its panes with an error (it %s) is never taken for no server: nothing is planned or stopped", async (_what, why) => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    const before = await w.panes();
    const path = await w.wrappedTmuxPath(`case " $* " in *" list-panes "*) echo "error connecting to $TMUX_TMPDIR/tmux-0/${w.socket} (${why})" >&2; exit 1;; esac`);
    for (const args of [["fleet", "plan"], ["fleet", "apply", "--auto-approve"], ["fleet", "stop"]]) {
      const r = await w.mosaic(args, { env: { PATH: path } });
      expect(r.exitCode, `${args.join(" ")}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`could not read the fleet's tmux server on socket "${w.socket}"`);
      expect(r.stderr).toContain(why);
      expect(r.stdout).not.toContain("to add");
    }
    expect(await w.panes()).toEqual(before);
  });

  it("a tmux older than 3.2 is a plan error", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const path = await w.wrappedTmuxPath('[ "$1" = "-V" ] && { echo "tmux 3.1c"; exit 0; }');
    const plan = await w.mosaic(["fleet", "plan"], { env: { PATH: path } });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain("Error: tmux 3.1c is too old: mosaic needs tmux >= 3.2");
  });
});

describe("the roster's socket changes", () => {
  it("the plan warns about the fleet left on the old socket, and stop --socket stops it without a roster", async () => {
    w.writeRoster([{ name: "alpha" }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const old = w.socket;
    const renamed = `${old}-new`;
    w.writeRoster([{ name: "alpha" }], { socket: renamed });
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain(`Warning: this roster was last applied on socket "${old}", where 2 sessions made by mosaic still run (_holder, alpha); nothing manages them now. Stop them with: mosaic fleet stop --socket ${old}`);

    writeFileSync(w.rosterPath, "agents: [ {name: broken\n"); // a broken roster must not block an emergency stop
    const refused = await w.mosaic(["fleet", "stop"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("To stop a running fleet without the roster: mosaic fleet stop --socket NAME");
    const stop = await mosaic(["fleet", "stop", "--socket", old], w.env);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain("Verified: the fleet is stopped.");
    expect(await w.sessionNames()).toEqual([]);

    w.writeRoster([{ name: "alpha" }], { socket: renamed });
    expect((await w.mosaic(["fleet", "plan"])).stdout).not.toContain("last applied on socket");
    await w.ok(["fleet", "stop"]);
  });

  it("stop --socket never takes a grace period an agent wrote on its own session", async () => {
    w.writeRoster([{ name: "stalls", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 0.1; done"] }], {
      defaults: { command: "sleep", stop_grace_seconds: 1, ready_after_seconds: 0.3 },
    });
    await w.ok(["fleet", "start"]);
    // What the agent can do from its pane: stretch its own grace to the maximum.
    await w.rewriteLabel("stalls", "grace", "600");
    const stop = await mosaic(["fleet", "stop", "--socket", w.socket], w.env);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toMatch(/tmux\.session\["stalls"\]: destroyed after \S+ \(killed after 5s grace\)/);
  });

  it("stop --socket refuses the default server's socket and a bad name, changing nothing", async () => {
    const r = await mosaic(["fleet", "stop", "--socket", "default"], w.env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: --socket "default": is the default tmux server's socket`);
    const bad = await mosaic(["fleet", "stop", "--socket", "a/b"], w.env);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`error: --socket "a/b": may contain only`);
  });
});

describe("what status and apply say", () => {
  it("a session that appears in the middle of a chained start fails that agent alone: those before and after it start", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }, { name: "gamma" }]);
    // beta's name is taken just before the chain that starts the three agents runs.
    // Launches reach tmux on its stdin: the chain that holds alpha and beta is the one raced.
    const path = await w.wrappedTmuxPath(`case " $* " in *" source-file - "*) input=$(cat); case "$input" in *"'-s' 'alpha'"*"'-s' 'beta'"*) "$REAL" -L "$3" new-session -d -s beta -- sleep 1000;; esac; printf '%s\\n' "$input" | "$REAL" "$@"; exit $?;; esac`);
    const r = await w.mosaic(["fleet", "start"], { env: { PATH: path } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/tmux\.session\["beta"\]: create failed after \S+: tmux new-session -d -s beta: a session named "beta" appeared after the plan was made; left it alone/);
    expect(r.stdout).toMatch(/tmux\.session\["alpha"\]: created after/);
    expect(r.stdout).toMatch(/tmux\.session\["gamma"\]: created after/);
    const labels = (await w.tmux(["list-sessions", "-F", "#{session_name} #{@mosaic}"])).stdout.split("\n").sort();
    expect(labels.map((l) => l.replace(/ (v2 pane=%\d+ managed=1) .*/, " $1"))).toEqual([expect.stringMatching(/^_holder v2 pane=%\d+ managed=1$/), expect.stringMatching(/^alpha v2 pane=%\d+ managed=1$/), "beta ", expect.stringMatching(/^gamma v2 pane=%\d+ managed=1$/)]);
  });

  it("a session that appears after the plan is a failed create, never 'already running', and is left alone", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const path = await w.wrappedTmuxPath(`case " $* " in *" source-file - "*) input=$(cat); case "$input" in *"'-s' 'alpha'"*) "$REAL" -L "$3" new-session -d -s alpha -- sleep 1000 2>/dev/null;; esac; printf '%s\\n' "$input" | "$REAL" "$@"; exit $?;; esac`);
    const r = await w.mosaic(["fleet", "start"], { env: { PATH: path } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/tmux\.session\["alpha"\]: create failed after \S+: tmux new-session -d -s alpha: a session named "alpha" appeared after the plan was made; left it alone/);
    expect(r.stdout).not.toContain("already running");
    const status = JSON.parse((await w.mosaic(["agent", "status", "alpha", "--json"])).stdout).sessions[0];
    expect(status).toMatchObject({ name: "alpha", session: true, managed: false, drift: "name-taken" });
    const table = await w.mosaic(["agent", "status", "alpha"]);
    expect(table.stdout).toMatch(/alpha\s+running\s+not mosaic's\s+-/);
  });

  it("agent status _holder shows the holder", async () => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    const r = await w.mosaic(["agent", "status", "_holder"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/_holder\s+running\s+yes\s+yes\s+\d+\s+sleep/);
  });
});

describe("plan --json claims only what it computed", () => {
  it("says complete: false when the fleet could not be read (a label set for every session), and true once it can", async () => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    const whole = await w.mosaic(["fleet", "plan", "--json"]);
    expect(JSON.parse(whole.stdout)).toMatchObject({ complete: true, errored: false, has_changes: false });
    expect((await w.tmux(["set-option", "-g", "@mosaic", "v2 managed=1"])).exitCode).toBe(0);
    const blind = await w.mosaic(["fleet", "plan", "--json"]);
    expect(blind.exitCode).toBe(1);
    expect(JSON.parse(blind.stdout)).toMatchObject({ complete: false, errored: true, applyable: false, diagnostics: [expect.objectContaining({ code: "global-label" })] });
  });
});
