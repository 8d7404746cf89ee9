import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cliPath, mosaic, repoRoot } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

interface Run {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the reader got before it left. */
  readonly read: string;
  readonly stderr: string;
}

/**
 * Run a node script the way `script | head -n LINES` does: stdout is a pipe
 * whose reading end is closed once LINES lines (or the text `until`) have
 * arrived, so every later write fails with EPIPE. `stdout: "full"` sends
 * stdout to /dev/full instead.
 */
function runClosingStdout(script: string, args: string[], env: Record<string, string>, stdout: { lines: number } | { until: string } | "full"): Promise<Run> {
  const full = stdout === "full" ? openSync("/dev/full", "w") : null;
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
    stdio: ["ignore", full ?? "pipe", "pipe"],
  });
  if (full !== null) closeSync(full);
  let read = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  if (stdout !== "full") {
    const out = child.stdout!;
    out.setEncoding("utf8").on("data", (d: string) => {
      read += d;
      if ("lines" in stdout ? read.split("\n").length > stdout.lines : read.includes(stdout.until)) out.destroy();
    });
  }
  return new Promise((resolve) => child.on("close", (exitCode, signal) => resolve({ exitCode, signal, read, stderr })));
}

const mosaicClosingStdout = (args: string[], stdout: { lines: number } | "full") => runClosingStdout(cliPath, [...args, "--roster", w.rosterPath], w.env, stdout);

const fiftyAgents = () => Array.from({ length: 50 }, (_, i) => ({ name: `agent-${String(i).padStart(2, "0")}` }));
const stackFrame = /^\s+at /m;

describe("a reader that leaves early (mosaic ... | head)", () => {
  it("fleet stop still stops all 50 agents, then exits 1 without a trace", async () => {
    w.writeRoster(fiftyAgents());
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    expect(await w.sessionNames()).toHaveLength(51);

    const r = await mosaicClosingStdout(["fleet", "stop"], { lines: 1 });
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(stackFrame);
    expect(r.stderr).toBe(""); // the reader left on purpose: nothing to complain about
    expect((await w.tmux(["list-sessions"])).exitCode).not.toBe(0); // no server: every session is gone
    expect(await w.sessionNames()).toEqual([]);
  });

  it("fleet apply --auto-approve still creates all 50 agents, then exits 1 without a trace", async () => {
    w.writeRoster(fiftyAgents());
    const r = await mosaicClosingStdout(["fleet", "apply", "--auto-approve"], { lines: 3 });
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.read.split("\n").length).toBeGreaterThan(3);
    expect(r.stderr).toBe("");
    expect(await w.sessionNames()).toEqual(["_holder", ...fiftyAgents().map((a) => a.name)]);
    // The next run finds nothing left to do: the apply ran to its end.
    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode).toBe(0);
  });
});

describe("a full disk (mosaic ... > /dev/full)", () => {
  it("fleet plan exits 1 with exactly one error line", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const r = await mosaicClosingStdout(["fleet", "plan"], "full");
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: could not write output: ENOSPC (no space left on device); the command itself ran to its end\n");
  });

  it("fleet start still starts the fleet, then exits 1 with exactly one error line", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const r = await mosaicClosingStdout(["fleet", "start"], "full");
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual(["error: could not write output: ENOSPC (no space left on device); the command itself ran to its end"]);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
  });

  it("fleet start still starts the fleet when stderr is full too, and exits 1 saying nothing", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const full = openSync("/dev/full", "w");
    const child = spawn(process.execPath, [cliPath, "fleet", "start", "--roster", w.rosterPath], {
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...w.env },
      stdio: ["ignore", full, full],
    });
    closeSync(full);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
    expect(signal).toBeNull();
    expect(code).toBe(1);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });
});

describe("npm run demo with a reader that leaves early", () => {
  const demo = join(repoRoot, "dist", "demo", "run-demo.js");
  /** The demo makes its temporary home under TMPDIR: a folder of this test's world. */
  const tmp = () => {
    const dir = join(w.home.path, "tmp");
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  /** Processes still running with a TMUX_TMPDIR under `dir` in their environment: a demo's tmux server left behind. */
  function processesUnder(dir: string): number[] {
    const left: number[] = [];
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (readFileSync(join("/proc", pid, "environ"), "utf8").split("\0").some((e) => e.startsWith(`TMUX_TMPDIR=${dir}/`))) left.push(Number(pid));
      } catch {
        // gone, or not ours to read
      }
    }
    return left;
  }

  it("stops its fleet, removes its home and exits 1 without a trace", async () => {
    // The reader leaves as the demo starts its fleet, so there is a fleet to stop.
    const r = await runClosingStdout(demo, [], { HOME: w.home.path, TMPDIR: tmp() }, { until: "$ mosaic fleet apply --auto-approve" });
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.read).toMatch(/^Mosaic demo in a temporary home: /);
    expect(r.read).not.toContain("Demo failed");
    expect(readdirSync(tmp())).toEqual([]);
    expect(processesUnder(tmp())).toEqual([]);
  });

  it("exits 1 with one error line when stdout is full, and leaves nothing behind", async () => {
    const r = await runClosingStdout(demo, [], { HOME: w.home.path, TMPDIR: tmp() }, "full");
    expect(r.signal).toBeNull();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: could not write output: ENOSPC (no space left on device); the command itself ran to its end\n");
    expect(readdirSync(tmp())).toEqual([]);
    expect(processesUnder(tmp())).toEqual([]);
  });
});

describe("a command line mosaic cannot parse", () => {
  it.each([
    [["fleet", "plan", "-q", "--detailed-exitcode", "--bogus"]],
    [["fleet", "pln"]],
    [["agent", "send"]],
  ])("%j: the error and the usage go to stderr, never into output a script or cron reads; exit 1", async (args) => {
    const r = await mosaic(args, { HOME: "/nonexistent" });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Unknown Syntax Error|Not enough positional arguments|error: no command|error: no agent named/);
  });
});

describe("--json when the command fails", () => {
  it.each([
    ["fleet plan --json", ["fleet", "plan", "--json"]],
    ["fleet status --json", ["fleet", "status", "--json"]],
    ["fleet verify --json", ["fleet", "verify", "--json"]],
    ["agent roster --json", ["agent", "roster", "--json"]],
    ["agent status --json", ["agent", "status", "--json"]],
  ])("%s prints the error as JSON on stdout too, and the words on stderr", async (_name, args) => {
    w.writeRoster([{ name: "Bad Name" }]);
    const r = await w.mosaic(args);
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as { format_version: string; error: { message: string; hints: string[] } };
    expect(doc.format_version).toBe("1.0");
    expect(doc.error.message).toMatch(/roster\.yaml:\d+:\d+: /);
    expect(r.stderr).toContain(`error: ${doc.error.message}`);
  });

  it("says so for an environment mosaic refuses, before any roster is read", async () => {
    const r = await mosaic(["fleet", "status", "--json", "--roster", w.rosterPath], { ...w.env, TMUX_TMPDIR: "/nonexistent" });
    expect(r.exitCode).toBe(1);
    expect((JSON.parse(r.stdout) as { error: { message: string } }).error.message).toContain('TMUX_TMPDIR="/nonexistent" is not an existing folder');
  });
});
