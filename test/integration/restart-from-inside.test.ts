import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

describe("fleet restart typed inside one of the fleet's agents", () => {
  it("restarts every other agent and reports it, then replaces its own agent from outside its pane", async () => {
    const marker = join(w.home.path, "restarted-once");
    const out = join(w.home.path, "restart.out");
    // The agent runs `mosaic fleet restart` once, as an AI agent would through its shell tool (no terminal on its stdin), then idles.
    // The marker holds the pid of the pane that ran the restart: the one the hand-off must replace.
    const script = 'if [ ! -e "$1" ]; then echo $$ > "$1"; "$2" "$3" fleet restart --roster "$4" < /dev/null > "$5" 2>&1; echo "exit=$?" >> "$5"; fi; exec sleep 1000';
    w.writeRoster([{ name: "alpha" }, { name: "beta" }, { name: "self" }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const before = await w.panes();

    w.writeRoster([{ name: "alpha" }, { name: "beta" }, { name: "self", command: "sh", args: ["-c", script, "sh", marker, process.execPath, cliPath, w.rosterPath, out] }]);
    // Replacing self with the new spec makes it run the restart, inside the fleet.
    expect((await w.mosaic(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);

    await expect.poll(() => existsSync(out) && /^exit=\d+$/m.test(readFileSync(out, "utf8")), { timeout: 30_000 }).toBe(true);
    const report = readFileSync(out, "utf8");
    const selfBefore = Number(readFileSync(marker, "utf8"));
    expect(report).toMatch(/-\/\+ self +replace: restart requested\n +it runs this command, so it goes last, from a process outside its pane/);
    expect(report).toMatch(/tmux\.session\["alpha"\]: replaced after/);
    expect(report).toMatch(/tmux\.session\["beta"\]: replaced after/);
    expect(report).toMatch(/tmux\.session\["self"\] runs this command, so `mosaic agent reset self --roster \S+` \(pid \d+\) replaces it once this command ends/);
    expect(report).toContain("exit=0");

    // The hand-off replaces self once the restart has ended.
    await expect.poll(async () => (await w.panes()).self, { timeout: 30_000 }).not.toBe(selfBefore);
    await expect.poll(async () => (await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode, { timeout: 15_000 }).toBe(0);
    const after = await w.panes();
    expect(after.alpha).not.toBe(before.alpha);
    expect(after.beta).not.toBe(before.beta);
    expect(after._holder).toBe(before._holder);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);
    const log = readFileSync(join(w.home.path, ".local", "state", "mosaic", "handoff", `${w.socket}.log`), "utf8");
    expect(log).toContain("Apply complete!");
  });

  it("fleet stop typed inside an agent stops the others, reports only what it did, and hands off the rest", async () => {
    const marker = join(w.home.path, "stopped-once");
    const out = join(w.home.path, "stop.out");
    const script = 'if [ ! -e "$1" ]; then touch "$1"; "$2" "$3" fleet stop --roster "$4" > "$5" 2>&1; echo "exit=$?" >> "$5"; fi; exec sleep 1000';
    w.writeRoster([{ name: "alpha" }, { name: "beta" }, { name: "self", command: "sh", args: ["-c", script, "sh", marker, process.execPath, cliPath, w.rosterPath, out] }]);
    expect((await w.mosaic(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);

    await expect.poll(() => existsSync(out) && /^exit=\d+$/m.test(readFileSync(out, "utf8")), { timeout: 30_000 }).toBe(true);
    const report = readFileSync(out, "utf8");
    expect(report).toContain("exit=0");
    // Two sessions were stopped by this command; its own and the holder (which depends on it) were handed off.
    expect(report).toContain("Resources: 0 added, 0 changed, 2 destroyed.");
    expect(report).toMatch(/Handed off, to be done once this command ends: .*tmux\.session\["self"\]/);
    expect(report).not.toContain("the fleet is stopped");
    expect(report).toContain("every session but those handed off is stopped");
    await expect.poll(async () => (await w.sessionNames()).length, { timeout: 30_000 }).toBe(0);
  });
});
