import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

/** The process's argv exactly, empty arguments included. */
const argsOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0$/, "").split("\0");

describe("reconcile against a real tmux server", () => {
  it("starts from nothing, and a second apply changes nothing", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");

    const first = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
    const pids = await w.panes();

    const second = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe("No changes. The fleet matches the roster.");
    expect(await w.panes()).toEqual(pids);
    expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode).toBe(0);
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);
  });

  it("repairs a session killed behind its back, leaving the others alone", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "start"]);
    const before = await w.panes();
    await w.tmux(["kill-session", "-t", "=alpha"]);

    const verify = await w.mosaic(["fleet", "verify"]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toContain(`FAIL  alpha: no session "alpha" on socket "${w.socket}"`);
    const plan = await w.mosaic(["fleet", "plan", "--detailed", "--detailed-exitcode"]);
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('# tmux.session["alpha"] will be created (missing');

    expect((await w.mosaic(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    const after = await w.panes();
    expect(after.beta).toBe(before.beta);
    expect(after._holder).toBe(before._holder);
    expect(after.alpha).not.toBe(before.alpha);
  });

  it("replaces a crashed agent's dead pane", async () => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    const pid = (await w.panes()).alpha!;
    process.kill(pid, "SIGKILL");
    await expect.poll(async () => (await w.tmux(["display", "-p", "-t", "=alpha:", "#{pane_dead}"])).stdout, { timeout: 10_000 }).toBe("1");
    // How it ended shows once tmux has reaped the process, which under load can take a while;
    // the parser and planner tests cover reading and showing the signal from real tmux output.
    const status = await w.mosaic(["agent", "status", "alpha"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/alpha\s+running\s+yes\s+dead( \(SIGKILL\))?\s+-\s.*pane-dead/);
    const apply = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(apply.stdout).toContain('tmux.session["alpha"]: replaced');
    expect((await w.mosaic(["fleet", "verify"])).exitCode).toBe(0);
  });

  it("replaces only the agent whose command changed, and deletes only the agent removed", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }, { name: "gamma" }]);
    await w.ok(["fleet", "start"]);
    const before = await w.panes();

    w.writeRoster([{ name: "alpha", command: "tail", args: ["-f", "/dev/null"] }, { name: "beta" }, { name: "gamma" }]);
    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.stdout).toMatch(/^-\/\+ alpha +replace: the roster changed its command, arguments, directory or environment \(changed: args, command\)$/m);
    expect(plan.stdout).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");
    expect((await w.mosaic(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    const replaced = await w.panes();
    expect(replaced.alpha).not.toBe(before.alpha);
    expect(argsOf(replaced.alpha!)).toEqual(["tail", "-f", "/dev/null"]);
    expect({ beta: replaced.beta, gamma: replaced.gamma }).toEqual({ beta: before.beta, gamma: before.gamma });

    w.writeRoster([{ name: "alpha", command: "tail", args: ["-f", "/dev/null"] }, { name: "beta" }]);
    const apply = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(apply.stdout).toMatch(/^ {2}- gamma +stop and remove: no longer in the roster$/m);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
    const after = await w.panes();
    expect({ alpha: after.alpha, beta: after.beta }).toEqual({ alpha: replaced.alpha, beta: replaced.beta });
  });

  it("never touches a session it did not make, and refuses to take its name", async () => {
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "start"]);
    await w.tmux(["new-session", "-d", "-s", "handmade", "--", "sleep", "1000"]);
    const handmade = (await w.panes()).handmade;

    const plan = await w.mosaic(["fleet", "plan"]);
    expect(plan.stdout).toContain(`Warning: session "handmade" on socket "${w.socket}" was not made by mosaic; it is left alone`);
    expect((await w.mosaic(["fleet", "stop"])).exitCode).toBe(0);
    expect(await w.panes()).toEqual({ handmade });

    w.writeRoster([{ name: "alpha" }, { name: "handmade" }]);
    const refused = await w.mosaic(["fleet", "start"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`Error: the roster wants agent "handmade", but a session of that name that mosaic did not make is on socket "${w.socket}"`);
    expect(await w.panes()).toEqual({ handmade });
  });

  it("restart gives every agent a new process; stop and start repeated are no-ops", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "start"]);
    const before = await w.panes();
    const restart = await w.mosaic(["fleet", "restart"]);
    expect(restart.exitCode).toBe(0);
    const after = await w.panes();
    expect(after.alpha).not.toBe(before.alpha);
    expect(after.beta).not.toBe(before.beta);
    expect(after._holder).toBe(before._holder);

    const again = await w.mosaic(["fleet", "start"]);
    expect(again.stdout).toBe("No changes. The fleet matches the roster.");
    expect(await w.panes()).toEqual(after);

    const stop = await w.mosaic(["fleet", "stop"]);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain("Verified: the fleet is stopped.");
    expect(await w.sessionNames()).toEqual([]);
    const stopAgain = await w.mosaic(["fleet", "stop"]);
    expect(stopAgain.stdout).toBe("No changes. The fleet is stopped.");
    expect(stopAgain.exitCode).toBe(0);
  });

  it("holds a replacement for a hold-policy agent until agent reset, and reset --new drops the resume arguments", async () => {
    w.writeRoster([{ name: "alpha", resume_args: ["5"], on_spec_change: "hold" }]);
    await w.ok(["fleet", "start"]);
    const first = (await w.panes()).alpha!;
    expect(argsOf(first)).toEqual(["sleep", "1000", "5"]);

    w.writeRoster([{ name: "alpha", args: ["2000"], resume_args: ["5"], on_spec_change: "hold" }]);
    const plan = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.stdout).toMatch(/^-\/\+ alpha +replace \(held\): the roster changed its spec; held by on_spec_change: hold/m);
    expect(plan.stdout).toContain("No changes. 1 replacement is held: alpha (spec-changed). Apply it with `mosaic agent reset alpha`.");
    expect(plan.stdout).not.toContain("matches the roster");
    expect(plan.exitCode).toBe(0);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    expect((await w.panes()).alpha).toBe(first);
    expect((await w.mosaic(["agent", "status", "alpha"])).stdout).toContain("spec-changed (held)");

    const reset = await w.mosaic(["agent", "reset", "alpha", "--new"]);
    expect(reset.exitCode).toBe(0);
    const fresh = (await w.panes()).alpha!;
    expect(argsOf(fresh)).toEqual(["sleep", "2000"]);
    expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode).toBe(0);
  });

  it("fails an apply that does not converge, naming what still differs", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "broken", command: "false" }]);
    const r = await w.mosaic(["fleet", "start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error: the fleet did not converge; still different:");
    expect(r.stderr).toMatch(/tmux\.session\["broken"\]: not ready: its process exited within 0\.3s \(ready_after_seconds\)( with status 1)?$/m);
    expect((await w.mosaic(["fleet", "verify"])).stdout).toMatch(/FAIL  broken: the pane is dead(: exit status 1)?$/m);
  });

  it("passes arguments and environment to the agent literally: no shell, no tmux command syntax", async () => {
    const hostile = ["x;", ";", "a b", "$HOME", "`id`", "y\\;", "-- --", "é ✓", ""];
    w.writeRoster([{ name: "alpha", command: process.execPath, args: [join(repoRoot, "framework", "demo", "echo-agent.mjs"), ...hostile] }], {
      defaults: { command: "sleep", stop_grace_seconds: 2, env: { TRAILING: "v;", SPACED: "a b; c", QUOTE: "'\"" } },
    });
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const pid = (await w.panes()).alpha!;
    expect(argsOf(pid)).toEqual([process.execPath, join(repoRoot, "framework", "demo", "echo-agent.mjs"), ...hostile]);
    const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    expect(environ).toEqual(expect.arrayContaining(["TRAILING=v;", "SPACED=a b; c", "QUOTE='\"", "MOSAIC_AGENT_NAME=alpha"]));
    expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode).toBe(0);
  });

  it("status, verify and plan agree in JSON", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "off", enabled: false }]);
    await w.ok(["fleet", "start"]);
    const pids = await w.panes();
    const status = JSON.parse((await w.mosaic(["fleet", "status", "--json"])).stdout);
    expect(status.sessions.map((s: { name: string; desired: string; alive: boolean; pid: number | null; drift: string | null }) => [s.name, s.desired, s.alive, s.pid, s.drift])).toEqual([
      ["_holder", "running", true, pids._holder, null],
      ["alpha", "running", true, pids.alpha, null],
      ["off", "disabled", false, null, null],
    ]);
    const verify = JSON.parse((await w.mosaic(["fleet", "verify", "--json"])).stdout);
    expect(verify.ok).toBe(true);
    expect(verify.checks.map((c: { name: string }) => c.name)).toEqual(["_holder", "alpha"]);
    const plan = JSON.parse((await w.mosaic(["fleet", "plan", "--json"])).stdout);
    expect({ has_changes: plan.has_changes, applyable: plan.applyable }).toEqual({ has_changes: false, applyable: false });

    await w.tmux(["kill-session", "-t", "=alpha"]);
    const drifted = JSON.parse((await w.mosaic(["fleet", "plan", "--json"])).stdout);
    expect(drifted.applyable).toBe(true);
    expect(drifted.resource_changes.filter((c: { action: string }) => c.action !== "noop").map((c: { address: string; action: string; reason: string }) => [c.address, c.action, c.reason])).toEqual([['tmux.session["alpha"]', "create", "missing"]]);
    const failed = await w.mosaic(["fleet", "verify", "--json"]);
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout).checks[1]).toEqual({ name: "alpha", ok: false, problem: `no session "alpha" on socket "${w.socket}"` });
  });

  it("refuses to apply without a terminal unless --auto-approve, changing nothing", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["fleet", "apply"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error: no terminal to confirm on");
    expect(await w.sessionNames()).toEqual([]);
  });

  it("reports an unexpected failure in one line, with the trace only under --debug", async () => {
    w.writeRoster([{ name: "alpha" }]);
    // A tmux that fails in a way mosaic has no words for.
    const broken = { PATH: await w.wrappedTmuxPath('case " $* " in *" list-panes "*) echo "tmux: the moon is in the way" >&2; exit 1;; esac') };
    const plain = await w.mosaic(["fleet", "plan"], { env: broken });
    expect(plain.exitCode).toBe(1);
    const lines = plain.stderr.split("\n");
    expect(lines[0]).toMatch(/^error: unexpected: tmux list-panes failed on socket \S+: tmux: the moon is in the way$/);
    expect(lines.slice(1)).toEqual(["  Run again with --debug to see the stack trace."]);
    const debug = await w.mosaic(["fleet", "plan", "--debug"], { env: broken });
    expect(debug.exitCode).toBe(1);
    // The trace names where it failed (the command runs bundled: function names, not source files).
    expect(debug.stderr).toMatch(/\n\s+at TmuxClient\.listAllPanes /);
  });

  it("says plainly when tmux is not installed", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["fleet", "plan"], { env: { PATH: "/nonexistent" } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: tmux not found on PATH\n  mosaic needs tmux >= 3.2; on Debian: apt-get install tmux");
  });

  it("rejects an unknown agent name with a clear error", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["agent", "reset", "nobody"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: agent reset: no agent "nobody" in the roster');
    expect(await w.sessionNames()).toEqual([]);
  });
});
