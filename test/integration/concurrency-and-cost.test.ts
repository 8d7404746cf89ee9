import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import { cliPath, type CliResult } from "../helpers/cli.js";
import { echoAgent, echoFleet, operator, received, waitFor } from "../helpers/echo-agents.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

describe("one apply at a time", () => {
  it("two concurrent starts create each session once, and both end converged", async () => {
    w.writeRoster(["a", "b", "c", "d"].map((name) => ({ name })));
    const [x, y] = await Promise.all([w.mosaic(["fleet", "start"]), w.mosaic(["fleet", "start"])]);
    expect([x.exitCode, y.exitCode]).toEqual([0, 0]);
    const created = (x.stdout + y.stdout).split("\n").filter((l) => / created after /.test(l));
    expect(created.map((l) => l.split(":")[0]).sort()).toEqual(['tmux.session["_holder"]', 'tmux.session["a"]', 'tmux.session["b"]', 'tmux.session["c"]', 'tmux.session["d"]']);
    expect([x.stdout, y.stdout].filter((o) => o === "No changes. The fleet matches the roster.")).toHaveLength(1);
    expect(await w.sessionNames()).toEqual(["_holder", "a", "b", "c", "d"]);
  });

  it("says who holds the lock, and a crashed apply does not wedge it", async () => {
    // An agent that ignores SIGTERM keeps `fleet stop` inside its grace period, holding the lock: for
    // longer than the test runs.
    w.writeRoster([{ name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 1; done"], stop_grace_seconds: 600 }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const stubbornPid = (await w.panes()).stubborn!;
    const stopping = execa(process.execPath, [cliPath, "fleet", "stop", "--roster", w.rosterPath], {
      env: { ...w.env, PATH: process.env.PATH ?? "" },
      extendEnv: false,
      reject: false,
    });
    await expect
      .poll(async () => (await w.mosaic(["fleet", "start", "--lock-timeout", "0"])).stderr, { timeout: 10_000 })
      .toMatch(/another mosaic apply on socket "\S+" is still running \(pid \d+: mosaic fleet stop, since /);
    stopping.kill("SIGKILL"); // no chance to release anything
    await stopping;
    process.kill(-stubbornPid, "SIGKILL"); // the agent ends, so the next stop has no grace to wait out
    const r = await w.mosaic(["fleet", "stop", "--lock-timeout", "5"]);
    expect(r.exitCode).toBe(0);
    expect(await w.sessionNames()).toEqual([]);
  });
});

describe("Ctrl+C during an apply", () => {
  it("finishes the step under way, says what was done and what was not, exits 130, and the next apply converges", async () => {
    // An agent that ignores SIGTERM makes the stop step last its grace, longer than the test runs: the
    // step ends when the test kills the agent, after the interrupt.
    const stubborn = { name: "stubborn", command: "sh", args: ["-c", "trap '' TERM; while :; do sleep 0.1; done"] };
    w.writeRoster([stubborn, { name: "calm" }], { defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 600, ready_after_seconds: 0 } });
    await w.ok(["fleet", "start"]);
    const stubbornPid = (await w.panes()).stubborn!;
    // A replace of both: stop them (one round), then start them again (the next).
    const apply = execa(process.execPath, [cliPath, "fleet", "restart", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    let said = "";
    apply.stderr?.on("data", (d) => (said += String(d)));
    // calm ends on SIGTERM at once: then the stop round is under way, waiting out stubborn's grace.
    await expect.poll(async () => (await w.tmux(["display-message", "-p", "-t", "=calm:", "#{pane_dead}"])).stdout, { timeout: 15_000 }).toBe("1");
    apply.kill("SIGINT");
    await expect.poll(() => said, { timeout: 10_000 }).toContain("Interrupted: finishing the step under way, then stopping...");
    process.kill(-stubbornPid, "SIGKILL"); // the agent ends at last, and with it the step under way
    const r = await apply;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stderr).toContain("Interrupted: finishing the step under way, then stopping...");
    expect(r.stderr).toMatch(/interrupted: 0 of 2 changes done, 2 partway \(stopped, not started again\), then stopped as asked; run `mosaic fleet apply` to finish/);
    expect(r.stderr).toContain('tmux.session["stubborn"]: skipped: interrupted after step 1 of 2');
    // The stop round ran to its end: no half-stopped agent, and nothing new was started.
    const after = await w.panes();
    expect(after.stubborn).toBeUndefined();
    expect(after.calm).toBeUndefined();
    const again = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await w.sessionNames()).toEqual(["_holder", "calm", "stubborn"]);
  });
});

describe("Ctrl+C while an apply waits for its agents to be ready", () => {
  it("stops waiting, claims no success, and exits 130", async () => {
    w.writeRoster([{ name: "slow" }], { defaults: { command: "sleep", args: ["1000"], ready_after_seconds: 20 } });
    const apply = execa(process.execPath, [cliPath, "fleet", "apply", "--auto-approve", "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    await expect.poll(async () => (await w.sessionNames()).includes("slow"), { timeout: 15_000 }).toBe(true);
    apply.kill("SIGINT");
    const r = await apply;
    expect(r.exitCode, r.stdout + r.stderr).toBe(130);
    expect(r.stdout).not.toContain("Apply complete!");
    expect(r.stderr).toContain(`tmux.session["slow"]: not ready: interrupted while waiting for it to be ready`);
    expect(r.stderr).toContain("run `mosaic fleet apply` to finish");
  }, 30_000);
});

describe("ten applies, ten messages and a drift check at once", () => {
  it("make exactly one set of sessions, every apply waits its turn and ends 0, and every message arrives whole, once", async () => {
    const { log } = await echoFleet(w);
    const alpha = (await w.panes()).alpha;
    // New work for the applies: two more agents, which exactly one of them must create.
    w.writeRoster([echoAgent("alpha", log), { name: "beta" }, { name: "gamma" }]);
    const messages = Array.from({ length: 10 }, (_, i) => `message ${i}: ${"x;$`'\"".repeat(20)} end ${i}`);
    const [applies, sends, drift] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => w.mosaic(["fleet", "apply", "--auto-approve", "--lock-timeout", "60"]))),
      Promise.all(messages.map((m) => w.mosaic(["agent", "send", "alpha", `--message=${m}`]))),
      w.mosaic(["fleet", "plan", "--detailed-exitcode", "--quiet"]),
    ]);
    for (const a of applies) expect(a.exitCode, a.stdout + a.stderr).toBe(0);
    const created = applies.flatMap((a) => a.stdout.split("\n").filter((l) => / created after /.test(l)).map((l) => l.split(":")[0]));
    expect(created.sort()).toEqual(['tmux.session["beta"]', 'tmux.session["gamma"]']);
    for (const s of sends) expect(s.exitCode, s.stderr).toBe(0);
    expect([0, 2]).toContain(drift.exitCode);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta", "gamma"]);
    expect((await w.panes()).alpha).toBe(alpha);
    await waitFor(() => received(log).length === messages.length);
    expect(received(log).sort()).toEqual(messages.map((m) => `[from ${operator}] ${m}`).sort());
  });
});

describe("observation cost", () => {
  /** A `tmux` earlier on PATH that logs each invocation, then runs the real one. */
  async function countingPath(): Promise<{ path: string; log: string }> {
    const real = (await execa("sh", ["-c", "command -v tmux"])).stdout.trim();
    const dir = join(w.home.path, "bin");
    mkdirSync(dir);
    const log = join(dir, "calls.log");
    // One line per call; a call that reads its commands from stdin (how mosaic sends launches) has them on its line too.
    const fromStdin = `case " $* " in *" source-file - "*) input=$(cat); printf '%s <<< %s\\n' "$*" "$(printf '%s' "$input" | tr '\\n' ' ')" >> '${log}'; printf '%s\\n' "$input" | '${real}' "$@"; exit $?;; esac\n`;
    writeFileSync(join(dir, "tmux"), `#!/bin/sh\n${fromStdin}echo "$*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(dir, "tmux"), 0o755);
    writeFileSync(log, "");
    return { path: `${dir}:${process.env.PATH}`, log };
  }

  /**
   * The tmux invocations of `mosaic ARGS` on a fleet of `n` agents, started
   * first unless `fromNothing`; `check` looks at the command's result.
   */
  async function spawnsOf(n: number, args: string[], check: (r: CliResult) => Promise<void> | void, opts: { fromNothing?: boolean } = {}): Promise<string[]> {
    const counter = counting ?? (counting = await countingPath());
    // No readiness window: each apply decides on its first look at the panes, so the count of looks
    // is the same however long the machine takes (a window would be polled once per 100 ms).
    w.writeRoster(Array.from({ length: n }, (_, i) => ({ name: `agent-${i}` })), { defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 2, ready_after_seconds: 0 } });
    if (!opts.fromNothing) expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    writeFileSync(counter.log, "");
    const r = await w.mosaic(args, { env: { PATH: counter.path } });
    expect(r.exitCode, r.stderr).toBe(0);
    await check(r);
    return readFileSync(counter.log, "utf8").split("\n").filter(Boolean);
  }
  let counting: { path: string; log: string } | undefined;
  beforeEach(() => {
    counting = undefined;
  });

  it("fleet plan spawns the same number of tmux processes for 1 agent and for 50", async () => {
    const converged = (r: CliResult) => expect(r.stdout).toBe("No changes. The fleet matches the roster.");
    const one = await spawnsOf(1, ["fleet", "plan"], converged);
    const fifty = await spawnsOf(50, ["fleet", "plan"], converged);
    expect(one).toHaveLength(1);
    expect(fifty).toHaveLength(one.length);
    // One call: the label options set for every session at once, then every pane.
    expect(fifty[0]).toMatch(/^-u -L \S+ -f \S+ show-options -sq @mosaic ; .* ; list-panes -a -F /);
  });

  it.each([
    ["status", (n: number) => (r: CliResult) => expect(r.stdout).toContain(`agent-${n - 1}`)],
    ["stop", () => async () => expect(await w.sessionNames()).toEqual([])],
  ] as const)("fleet %s spawns the same number of tmux processes for 1 agent and for 50", async (verb, check) => {
    const one = await spawnsOf(1, ["fleet", verb], check(1));
    const fifty = await spawnsOf(50, ["fleet", verb], check(50));
    expect(fifty.length, fifty.join("\n")).toBe(one.length);
  });

  it("fleet start from nothing chains its new-sessions: a few tmux processes for 50 agents, not one each", async () => {
    const spawnsFor = async (n: number) => {
      const calls = await spawnsOf(n, ["fleet", "start"], async () => expect(await w.sessionNames()).toHaveLength(n + 1), { fromNothing: true });
      expect((await w.mosaic(["fleet", "stop"])).exitCode).toBe(0);
      return calls;
    };
    const one = await spawnsFor(1);
    const fifty = await spawnsFor(50);
    const creating = (calls: string[]) => calls.filter((c) => c.includes("'new-session'"));
    // One invocation per chain, each within tmux's command-line cap (15,000 bytes: about 20 of these launches).
    expect(creating(one)).toHaveLength(2); // the holder first, then the agent (it waits for the holder)
    expect(creating(fifty).length).toBeLessThanOrEqual(1 + Math.ceil(50 / 8));
    expect(fifty.length - creating(fifty).length).toBe(one.length - creating(one).length);
  });

  it("fills each chain up to tmux's command-line cap: three launches of 4.2 KB share one tmux call, and every one arrives whole", async () => {
    const big = (i: number) => `${i}`.padEnd(3_600, "x");
    w.writeRoster(Array.from({ length: 12 }, (_, i) => ({ name: `agent-${i}`, env: { BIG: big(i) } })));
    const counter = counting ?? (counting = await countingPath());
    const r = await w.mosaic(["fleet", "start"], { env: { PATH: counter.path } });
    expect(r.exitCode, r.stderr).toBe(0);
    const creating = readFileSync(counter.log, "utf8").split("\n").filter((c) => c.includes("'new-session'"));
    // The holder, then 12 launches of about 4,200 bytes in chains of three (a fourth would pass 15,000 bytes).
    expect(creating).toHaveLength(1 + 4);
    expect(creating.slice(1).map((c) => c.split("'new-session'").length - 1)).toEqual([3, 3, 3, 3]);
    for (const i of [0, 11]) {
      const env = await w.tmux(["show-environment", "-t", `=agent-${i}`, "BIG"]);
      expect(env.stdout.trim()).toBe(`BIG=${big(i)}`);
    }
  });
});
