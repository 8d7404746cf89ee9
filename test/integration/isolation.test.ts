import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

const RISKY = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe("two rosters on one socket", () => {
  it("never destroy each other's agents, and stop leaves the other roster and the shared holder running", async () => {
    const other = join(w.home.path, "other.yaml");
    w.writeRoster([{ name: "proj-a" }]);
    await w.ok(["fleet", "start"]);
    const a = (await w.panes())["proj-a"];
    // A second roster on the same socket: another project, a test roster that forgot `socket:`...
    writeFileSync(other, JSON.stringify({ socket: w.socket, defaults: { command: "sleep", args: ["1000"], ready_after_seconds: 0.3 }, agents: [{ name: "proj-b" }] }));

    const start = await mosaic(["fleet", "start", "--detailed", "--roster", other], w.env);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).not.toContain('tmux.session["proj-a"] will be destroyed');
    expect(start.stdout).toContain(`Warning: session "proj-a" on socket "${w.socket}" belongs to another roster (${w.rosterPath}); it is left alone`);
    expect((await w.panes())["proj-a"]).toBe(a);

    // The first roster's own view: unchanged and in sync; proj-b is not its to remove.
    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('Warning: session "proj-b"');

    const stopOther = await mosaic(["fleet", "stop", "--roster", other], w.env);
    expect(stopOther.exitCode).toBe(0);
    expect(stopOther.stdout).toContain("Warning: the holder stays: sessions another roster made still run");
    expect(await w.sessionNames()).toEqual(["_holder", "proj-a"]);
    await w.ok(["fleet", "stop"]);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("refuse to take a name another roster's agent holds", async () => {
    const other = join(w.home.path, "other.yaml");
    w.writeRoster([{ name: "shared" }]);
    await w.ok(["fleet", "start"]);
    writeFileSync(other, JSON.stringify({ socket: w.socket, defaults: { command: "sleep", args: ["2000"] }, agents: [{ name: "shared" }] }));
    const r = await mosaic(["fleet", "apply", "--auto-approve", "--roster", other], w.env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`Error: the roster wants agent "shared", but a session of that name that mosaic made for another roster (${w.rosterPath}) is on socket "${w.socket}"; it was left alone.`);
  });
});

describe("TMUX_TMPDIR", () => {
  it("that does not exist, or is relative, is refused instead of tmux silently falling back to /tmp", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const fallback = join("/tmp", `tmux-${process.getuid!()}`, w.socket);
    for (const bad of [join(w.home.path, "no-such-dir"), "relative/dir"]) {
      const r = await w.mosaic(["fleet", "start"], { env: { TMUX_TMPDIR: bad } });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`error: TMUX_TMPDIR="${bad}" is not`);
      expect(r.stderr).toContain("tmux would silently put the fleet's socket under /tmp instead");
      expect(existsSync(fallback)).toBe(false);
    }
  });

  it("that cannot hold a socket makes status fail instead of reporting a stopped fleet", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const deep = join(w.home.path, "d".repeat(100));
    mkdirSync(deep, { mode: 0o700 });
    const status = await w.mosaic(["fleet", "status", "--json"], { env: { TMUX_TMPDIR: deep } });
    expect(status.exitCode).toBe(1);
    const doc = JSON.parse(status.stdout);
    expect(doc.observed).toBe(false);
    expect(doc.diagnostics.map((d: { code: string }) => d.code)).toContain("socket-path-too-long");
  });
});

describe("the agent's environment", () => {
  it("gets the roster's PATH and TERM, which tmux would otherwise replace", async () => {
    const bin = join(w.home.path, "bin");
    mkdirSync(bin);
    const out = join(w.home.path, "agent.env");
    writeFileSync(join(bin, "myagent"), `#!/bin/sh\nprintf 'PATH=%s\\nTERM=%s\\n' "$PATH" "$TERM" > '${out}'\nexec sleep 1000\n`);
    chmodSync(join(bin, "myagent"), 0o755);
    w.writeRoster([{ name: "custom", command: "myagent", env: { PATH: `${bin}:/usr/bin:/bin`, TERM: "xterm-roster" } } as never]);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.exitCode).toBe(0);
    await w.ok(["fleet", "start"]);
    await expect.poll(() => existsSync(out) && readFileSync(out, "utf8"), { timeout: 10_000 }).toBe(`PATH=${bin}:/usr/bin:/bin\nTERM=xterm-roster\n`);
  });
});

describe("what mosaic prints of a roster it does not control", () => {
  it("escapes control and bidi characters in agent roster and status, so nothing paints over the output", async () => {
    const cwd = join(w.home.path, "y\r\x1b[1A\x1b[2K\u202e");
    mkdirSync(cwd);
    w.writeRoster([{ name: "innocent", command: "sh", args: ["-c", "exec sleep 1000", "\x1b]0;title\x07"], cwd } as never]);
    for (const args of [["agent", "roster"], ["fleet", "plan"], ["fleet", "start"], ["fleet", "status"], ["agent", "status"]]) {
      const r = await w.mosaic(args);
      expect(r.exitCode, `${args.join(" ")}: ${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout, args.join(" ")).not.toMatch(RISKY);
      expect(r.stderr, args.join(" ")).not.toMatch(RISKY);
    }
  });
});

describe("a state folder that cannot be written", () => {
  it("warns, and never stops an apply", async () => {
    const file = join(w.home.path, "state-is-a-file");
    writeFileSync(file, "");
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["fleet", "start"], { env: { XDG_STATE_HOME: file } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("warning: could not record this apply under");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });
});
