import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${why}`);

/**
 * Under systemd, mosaic starts and stops agents' sessions itself, batched,
 * and the units only record it: their scripts, finding mosaic's receipt,
 * start no node. Counted, not timed: the node the units run is a wrapper
 * that logs each run of the session tool.
 */
describe.skipIf(why !== null)("units that record what mosaic did", () => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const roster = () => join(home(), "roster.yaml");
  const runs = () => join(box.root, "tool-runs.log");
  const sh = async (line: string) => {
    const r = await box.run(["sh", "-c", line]);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const toolRuns = (tool: string) => (existsSync(runs()) ? readFileSync(runs(), "utf8").split("\n").filter((l) => l.includes(` ${tool} `)) : []);
  const sessions = async () => (await box.run(["tmux", "-L", "vouch", "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    writeFileSync(roster(), JSON.stringify({ socket: "vouch", backend: "systemd", defaults: { command: "sleep", args: ["100000"], stop_grace_seconds: 2, ready_after_seconds: 0 }, agents: ["a0", "a1", "a2"].map((name) => ({ name })) }));
    await sh(`mosaic fleet install-systemd --roster ${roster()}`);
    // The units run the session tool with the node recorded at install: make that one count its runs.
    const counting = join(box.root, "counting-node");
    writeFileSync(counting, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${runs()}'\nexec '${process.execPath}' "$@"\n`);
    chmodSync(counting, 0o755);
    writeFileSync(join(home(), ".config", "mosaic", "tools", "lib", "node-path"), `${counting}\n`);
  });
  afterAll(() => box.dispose());

  it("fleet start runs the tool for the holder alone, fleet stop for none, and the units end up as active as the sessions", async () => {
    await sh(`mosaic fleet start --roster ${roster()}`);
    expect(await sessions()).toEqual(["_holder", "a0", "a1", "a2"]);
    expect(toolRuns("start-agent-session").map((l) => l.split(" ").at(-2))).toEqual(["_holder"]);
    for (const a of ["a0", "a1", "a2"]) expect((await box.systemctl(["is-active", `mosaic-agent@${a}.service`])).stdout.trim()).toBe("active");

    await sh(`mosaic fleet stop --roster ${roster()}`);
    expect(await sessions()).toEqual([]);
    expect(toolRuns("stop-agent-session").filter((l) => !l.includes(" _holder "))).toEqual([]);
    for (const a of ["a0", "a1", "a2"]) expect((await box.systemctl(["is-active", `mosaic-agent@${a}.service`])).stdout.trim()).toBe("inactive");
    const vouched = join(home(), ".local", "state", "mosaic", "vouched");
    expect(existsSync(vouched) ? readdirSync(vouched) : []).toEqual([]); // no receipt outlives its call
  });

  it("at login, with no receipt, each unit starts its agent itself; a receipt of a mosaic that is gone vouches for nothing", async () => {
    // A receipt as a killed mosaic leaves it: a pid that does not run (or no longer with that start time).
    const vouched = join(home(), ".local", "state", "mosaic", "vouched");
    mkdirSync(vouched, { recursive: true, mode: 0o700 });
    writeFileSync(join(vouched, "a0.start"), "999999 12345\n", { mode: 0o600 });
    writeFileSync(join(vouched, "a1.start"), "1 999999999\n", { mode: 0o600 }); // a live pid, another start time
    const before = toolRuns("start-agent-session").length;
    await sh("systemctl --user start default.target");
    expect(await sessions()).toEqual(["_holder", "a0", "a1", "a2"]);
    expect(toolRuns("start-agent-session").length - before).toBe(4);
    const plan = await box.run(["sh", "-c", `mosaic fleet plan --detailed-exitcode --roster ${roster()}`]);
    expect(plan.exitCode, plan.stdout).toBe(0);
  });
});
