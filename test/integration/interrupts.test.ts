import { execa } from "execa";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireLock, fleetApplyLockFile, sendLockFile, type HeldLock } from "../../src/adapters/lock.js";
import { tmuxSocketPath } from "../../src/adapters/tmux.js";
import { cliPath } from "../helpers/cli.js";
import { echoAgent, echoFleet, operator, received, waitFor } from "../helpers/echo-agents.js";
import { eventually } from "../helpers/eventually.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

/**
 * Signals at every stage of an apply, as a terminal, `timeout`, an ssh
 * disconnect or a second Ctrl+C send them: before anything changes, the
 * apply is cancelled and exits 130; while changes run, the step under way
 * finishes (a second signal ends it at once); the next apply converges.
 */
const world = useFleetWorld();
let w: FleetWorld;
let driver: string | null = null;
afterEach(async () => {
  if (driver) await execa("tmux", ["-L", driver, "kill-server"], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
  driver = null;
});

/** Whether `pid` is a live process (a zombie is not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Everything `stream` prints, as it comes. */
function collect(stream: NodeJS.ReadableStream | null): () => string {
  let seen = "";
  stream?.on("data", (d) => (seen += String(d)));
  return () => seen;
}

const run = (args: string[]) => execa(process.execPath, [cliPath, ...args, "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });

describe("the apply lock", () => {
  it("of ten contenders at once, one holds it, the others are told who, and it is free once released", async () => {
    w = world();
    const file = fleetApplyLockFile(tmuxSocketPath(w.socket, w.env, process.getuid?.() ?? 0));
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => acquireLock(file, { pid: 1000 + i, command: `contender ${i}`, since: "now" }, { timeoutMs: 0, onWait: () => {} })));
    const held = outcomes.filter((o): o is HeldLock => "release" in o);
    expect(held).toHaveLength(1);
    const winner = outcomes.indexOf(held[0]!);
    for (const o of outcomes.filter((o) => !("release" in o))) expect(o).toEqual({ busy: { pid: 1000 + winner, command: `contender ${winner}`, since: "now" } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await held[0]!.release();
    const again = await acquireLock(file, { pid: 1, command: "after", since: "now" }, { timeoutMs: 0, onWait: () => {} });
    expect("release" in again).toBe(true);
    if ("release" in again) await again.release();
  });
});

describe("a signal before anything changes", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("%s at the prompt cancels: nothing changed, exit 130", async (signal) => {
    w = world();
    w.writeRoster([{ name: "alpha" }]);
    driver = `${w.socket}-terminal`;
    const tmux = (args: string[]) => execa("tmux", ["-L", driver!, ...args], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
    const script = `"$0" "$1" fleet apply --roster "$2"; echo "exit=$?"; sleep 600`;
    await tmux(["new-session", "-d", "-s", "term", "-x", "200", "-y", "50", "--", "sh", "-c", script, process.execPath, cliPath, w.rosterPath]);
    const screen = async () => (await tmux(["capture-pane", "-p", "-t", "=term:"])).stdout;
    await expect.poll(screen, { timeout: 10_000 }).toContain("[y/N]");
    const pid = (await execa("pgrep", ["-f", `fleet apply --roster ${w.rosterPath}`], { reject: false })).stdout.split("\n").filter(Boolean);
    expect(pid).toHaveLength(1);
    process.kill(Number(pid[0]), signal);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/exit=\d+/);
    const shown = await screen();
    expect(shown).toContain("Apply cancelled; nothing was changed.");
    expect(shown).not.toContain("finishing the step under way");
    expect(shown).toContain("exit=130");
    expect(await w.sessionNames()).toEqual([]);
  });

  it("Ctrl+C while waiting for another apply's lock stops the wait: nothing changed, exit 130", async () => {
    w = world();
    w.writeRoster([{ name: "alpha" }]);
    const path = tmuxSocketPath(w.socket, w.env, process.getuid?.() ?? 0);
    const lock = await acquireLock(fleetApplyLockFile(path), { pid: process.pid, command: "mosaic fleet apply", since: "now" }, { timeoutMs: 0, onWait: () => {} });
    if (!("release" in lock)) throw new Error("the lock was not free");
    try {
      // The lock is held for the whole test and the wait's own limit is past the test's timeout: only
      // the interrupt can end the wait while the test runs (a wait that ignored it fails by that timeout).
      const apply = execa(process.execPath, [cliPath, "fleet", "apply", "--auto-approve", "--lock-timeout", "600", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, all: true });
      const seen = collect(apply.stderr);
      await expect.poll(seen, { timeout: 10_000 }).toContain("Waiting for another mosaic apply");
      apply.kill("SIGINT");
      const r = await apply;
      expect(r.exitCode, r.all).toBe(130);
      expect(r.stdout).toContain("Apply cancelled; nothing was changed.");
      expect(await w.sessionNames()).toEqual([]);
    } finally {
      await lock.release();
    }
  });
});

describe("signals while changes run", () => {
  it("a hangup finishes the step under way like Ctrl+C; a second signal ends the apply at once; the next apply converges", async () => {
    w = world();
    // An agent that ignores SIGTERM makes the stop step last its grace: 600 s, past the test's timeout,
    // so the step ends while the test runs only if mosaic stops waiting for it.
    const stubborn = { name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 0.1; done"] };
    w.writeRoster([stubborn, { name: "calm" }], { defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 600, ready_after_seconds: 0 } });
    await w.ok(["fleet", "start"]);
    const stubbornPid = (await w.panes()).stubborn!;
    const restart = execa(process.execPath, [cliPath, "fleet", "restart", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
    const said = collect(restart.stderr);
    await expect.poll(async () => (await w.tmux(["display-message", "-p", "-t", "=calm:", "#{pane_dead}"])).stdout, { timeout: 15_000 }).toBe("1");
    restart.kill("SIGHUP");
    await expect.poll(said, { timeout: 10_000 }).toContain("Interrupted: finishing the step under way, then stopping...");
    expect(restart.exitCode, "one signal lets the step under way finish").toBeNull();
    restart.kill("SIGINT");
    const r = await restart;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    // Ended at once: the stubborn agent's grace was not waited out, and no SIGKILL came.
    expect(alive(stubbornPid), "the agent that ignores SIGTERM is still running").toBe(true);
    expect(r.stderr).toContain("Interrupted: finishing the step under way, then stopping...");
    expect(r.stderr).toContain("Interrupted again: stopping now; run `mosaic fleet apply` to finish.");
    const again = await run(["fleet", "apply", "--auto-approve"]);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(await w.sessionNames()).toEqual(["_holder", "calm", "stubborn"]);
  }, 60_000);
});

describe("a second signal during a stop", () => {
  it("names the stop as what finishes the job, and the stop then does", async () => {
    w = world();
    // An agent that notes each SIGTERM and goes on, until the test lets it end; its grace outlasts the test.
    const termed = join(w.home.path, "termed");
    const done = join(w.home.path, "done");
    const stubborn = { name: "stubborn", command: "sh", args: ["-c", 'trap \'echo TERM >> "$1"\' TERM; while [ ! -e "$2" ]; do sleep 0.1; done', "sh", termed, done] };
    w.writeRoster([stubborn], { defaults: { stop_grace_seconds: 600, ready_after_seconds: 0 } });
    await w.ok(["fleet", "start"]);
    const stop = execa(process.execPath, [cliPath, "fleet", "stop", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
    const said = collect(stop.stderr);
    // The agent got its SIGTERM: the stop step is under way.
    await eventually(() => existsSync(termed), { what: "the stubborn agent's SIGTERM" });
    stop.kill("SIGINT");
    await expect.poll(said, { timeout: 10_000 }).toContain("Interrupted: finishing the step under way, then stopping...");
    stop.kill("SIGINT");
    const r = await stop;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stderr).toContain("Interrupted again: stopping now; run `mosaic fleet stop` to finish.");
    writeFileSync(done, ""); // the agent ends its work, so the next stop need not wait out its grace
    const again = await w.mosaic(["fleet", "stop"]);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(await w.sessionNames()).toEqual([]);
  }, 30_000);
});

describe("a signal to the whole process group while tmux calls run", () => {
  it("reaches mosaic, not the tmux call under way: no session it made is reported failed, exit 130, and the next apply converges", async () => {
    w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }], { defaults: { command: "sleep", args: ["1000"], ready_after_seconds: 0 } });
    // The tmux call that makes the agents' sessions says it started, then holds until the test lets it go:
    // the signal lands inside it.
    const started = join(w.home.path, "agents-call-started");
    const go = join(w.home.path, "go");
    // Launches reach tmux on its stdin: the call whose commands make alpha is the one held.
    const hold = `: > '${started}'; while [ ! -e '${go}' ]; do sleep 0.05; done`;
    const path = await w.wrappedTmuxPath(`case " $* " in *" source-file - "*) input=$(cat); case "$input" in *"'-s' 'alpha'"*) ${hold};; esac; printf '%s\\n' "$input" | "$REAL" "$@"; exit $?;; esac`);
    const apply = execa(process.execPath, [cliPath, "fleet", "apply", "--auto-approve", "--roster", w.rosterPath], { env: { ...w.env, PATH: path, NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
    const said = collect(apply.stderr);
    let r: Awaited<typeof apply>;
    try {
      await eventually(() => existsSync(started), { what: "the tmux call that makes alpha and beta" });
      process.kill(-apply.pid!, "SIGTERM");
      await expect.poll(said, { timeout: 10_000 }).toContain("Interrupted: finishing the step under way, then stopping...");
    } finally {
      writeFileSync(go, "");
      r = await apply;
    }
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stdout + r.stderr).not.toMatch(/failed|did not start/);
    expect(r.stdout).toMatch(/tmux\.session\["alpha"\]: created/);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
    const again = await run(["fleet", "apply", "--auto-approve"]);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
  }, 60_000);
});

describe("a signal while agent send types a message", () => {
  it("lets the message it is typing be submitted whole, says so, exits 130, and the next message arrives on its own", async () => {
    w = world();
    // A long settle between the paste and the submit key: time to interrupt with the text typed but not yet submitted.
    const { log } = await echoFleet(w, []);
    w.writeRoster([echoAgent("alpha", log, { submit: { settle_ms: 2500 } })]);
    const text = `first ${"C".repeat(3000)} end`;
    // Its own process group, as a terminal's foreground job: Ctrl+C reaches mosaic and the tools it runs.
    const send = execa(process.execPath, [cliPath, "agent", "send", "alpha", "--message", text, "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
    await expect.poll(async () => (await w.tmux(["capture-pane", "-p", "-J", "-t", "=alpha:"])).stdout, { timeout: 10_000 }).toContain("end");
    process.kill(-send.pid!, "SIGINT");
    const r = await send;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stderr).toContain("Interrupted: finishing the message being typed...");
    expect(r.stdout).toMatch(/^Sent to alpha \(pane %\d+\)/m);
    await waitFor(() => received(log).length === 1);
    expect((await w.mosaic(["agent", "send", "alpha", "--message", "MARKER"])).exitCode).toBe(0);
    await waitFor(() => received(log).length === 2);
    expect(received(log)).toEqual([`[from ${operator}] ${text}`, `[from ${operator}] MARKER`]);
  }, 30_000);

  it.each(["SIGTERM", "SIGHUP"] as const)("%s to the whole group (timeout, a closed terminal) after the paste: the message is submitted whole, and it says it was sent", async (signal) => {
    w = world();
    const { log } = await echoFleet(w, []);
    w.writeRoster([echoAgent("alpha", log, { submit: { settle_ms: 2500 } })]);
    const send = execa(process.execPath, [cliPath, "agent", "send", "alpha", "--message", "via-timeout", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
    await expect.poll(async () => (await w.tmux(["capture-pane", "-p", "-J", "-t", "=alpha:"])).stdout, { timeout: 10_000 }).toContain("via-timeout");
    process.kill(-send.pid!, signal);
    const r = await send;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stderr).not.toContain("nothing was sent");
    expect(r.stdout).toMatch(/^Sent to alpha \(pane %\d+\)/m);
    await waitFor(() => received(log).length === 1);
    expect(received(log)).toEqual([`[from ${operator}] via-timeout`]);
  }, 30_000);

  it("with --json, says in JSON whether the interrupted message was sent", async () => {
    w = world();
    const { log } = await echoFleet(w, []);
    w.writeRoster([echoAgent("alpha", log, { submit: { settle_ms: 2500 } })]);
    const send = execa(process.execPath, [cliPath, "agent", "send", "alpha", "--message", "json-one", "--json", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
    await expect.poll(async () => (await w.tmux(["capture-pane", "-p", "-J", "-t", "=alpha:"])).stdout, { timeout: 10_000 }).toContain("json-one");
    process.kill(-send.pid!, "SIGHUP");
    const r = await send;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(JSON.parse(r.stdout)).toMatchObject({ agent: "alpha", sent: `[from ${operator}] json-one`, interrupted: true });
  }, 30_000);

  it("after a send killed outright (SIGKILL) between its paste and its submit, the next send submits the leftover on its own first", async () => {
    w = world();
    const { log } = await echoFleet(w, []);
    w.writeRoster([echoAgent("alpha", log, { submit: { settle_ms: 2500 } })]);
    // Its temporary folders in the world's home: a sender killed outright cannot remove them.
    const send = execa(process.execPath, [cliPath, "agent", "send", "alpha", "--message", "killed9", "--roster", w.rosterPath], { env: { ...w.env, TMPDIR: w.home.path, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
    await expect.poll(async () => (await w.tmux(["capture-pane", "-p", "-J", "-t", "=alpha:"])).stdout, { timeout: 10_000 }).toContain("killed9");
    process.kill(-send.pid!, "SIGKILL");
    await send;
    const next = await w.mosaic(["agent", "send", "alpha", "--message", "after-kill9"]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toContain("a message to pane");
    await waitFor(() => received(log).length === 2);
    expect(received(log)).toEqual([`[from ${operator}] killed9`, `[from ${operator}] after-kill9`]);
  }, 30_000);

  it("before anything is typed, sends nothing and says so", async () => {
    w = world();
    const { log } = await echoFleet(w, []);
    // Another sender holds the session's lock: this one waits for it, and is interrupted while it waits.
    const socketPath = (await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{socket_path}"])).stdout.trim();
    const file = sendLockFile(socketPath, "alpha");
    const holder = await acquireLock(file, { pid: process.pid, command: "a test", since: "now" }, { timeoutMs: 0, onWait: () => {} });
    if (!("release" in holder)) throw new Error("the send lock was not free");
    const waiting = () => eventually(async () => (await execa("pgrep", ["-f", `^([^ ]*/)?flock -w .* ${file} `], { reject: false })).exitCode === 0, { what: "the sender waiting for the lock" });
    try {
      const send = execa(process.execPath, [cliPath, "agent", "send", "alpha", "--message", "never", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, detached: true });
      await waiting();
      process.kill(-send.pid!, "SIGINT");
      const r = await send;
      expect(r.exitCode, r.stdout + r.stderr).toBe(130);
      expect(r.stderr).toContain("nothing was sent");
      expect(received(log)).toEqual([]);
    } finally {
      await holder.release();
    }
  }, 30_000);
});
