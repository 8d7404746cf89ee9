import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd fault tests need a user manager in a mount namespace: ${why}`);

/**
 * Faults under the systemd backend, against a real user manager (the
 * sandbox in DESIGN.md): an apply killed with SIGKILL after each step
 * (MOSAIC_TEST_KILL_AFTER_STEP=K, read only for the tests), the tmux
 * server killed between a saved plan and its apply, the manager
 * re-executed while an apply runs, and the launch files' folder full.
 * After each, the next apply converges: one session per agent, the units
 * active and enabled, no lock or half-written file left.
 */
describe.skipIf(why !== null)("faults under systemd --user", () => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const roster = () => join(home(), ".config", "mosaic", "fleet", "roster.yaml");
  const launchDir = () => join(home(), ".local", "state", "mosaic", "fleet");
  const sh = (line: string, env: Record<string, string> = {}) => box.run(["sh", "-c", line], env);
  const ok = async (line: string, env: Record<string, string> = {}) => {
    const r = await sh(line, env);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const sessions = async () => (await box.run(["tmux", "-L", "mosaic-factory", "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  const unitStates = async (names: readonly string[]) => {
    const r = await box.systemctl(["show", "-p", "Id,ActiveState,UnitFileState", ...names.map((n) => (n === "_holder" ? "mosaic-tmux-holder.service" : `mosaic-agent@${n}.service`))]);
    return r.stdout.split("\n\n").map((block) => Object.fromEntries(block.split("\n").map((l) => l.split("=", 2) as [string, string])));
  };
  const writeRoster = (agents: readonly { name: string; args?: string[] }[]) =>
    writeFileSync(roster(), `socket: mosaic-factory\ndefaults:\n  command: sleep\n  args: ['100000']\n  ready_after_seconds: 0.2\nagents:\n${agents.map((a) => `  - name: ${a.name}\n${a.args ? `    args: ${JSON.stringify(a.args)}\n` : ""}`).join("")}`);

  /**
   * What converged means here, checked the way a user would: exactly the
   * roster's sessions, each unit active and enabled, b running the new
   * spec, a plan with nothing to do, verify passing, and every launch file
   * whole (no temporary file beside it; the plan would show a changed one).
   */
  const converged = async (names: readonly string[], at: string) => {
    expect(await sessions(), at).toEqual(["_holder", ...names].sort());
    for (const u of await unitStates(["_holder", ...names])) expect(u, `${at}: ${u.Id}`).toMatchObject({ ActiveState: "active", UnitFileState: "enabled" });
    const plan = await sh("mosaic fleet plan --detailed-exitcode");
    expect(plan.exitCode, `${at}\n${plan.stdout}\n${plan.stderr}`).toBe(0);
    await ok("mosaic fleet verify");
    expect((await sh(`ls -A '${launchDir()}'`)).stdout.split("\n").filter((f) => f !== "" && !f.endsWith(".launch")), at).toEqual([]);
  };

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    mkdirSync(join(roster(), ".."), { recursive: true });
    writeRoster([{ name: "b" }, { name: "c" }]);
    await ok("mosaic fleet install-systemd --reload");
    await ok("mosaic fleet start");
  });
  afterAll(async () => {
    await box.run(["tmux", "-L", "mosaic-factory", "kill-server"]);
    await box.dispose();
  });

  it("an apply killed after any step of a plan that creates, replaces and deletes: the next apply converges", async () => {
    // b and c run; the roster then adds a, changes b and drops c.
    const after = [{ name: "a" }, { name: "b", args: ["2000"] }];
    writeRoster(after);
    const plan = JSON.parse((await ok("mosaic fleet plan --json")).stdout) as { backend: string; resource_changes: { action: string; steps: { kind: string }[] }[] };
    expect(plan.backend).toBe("systemd");
    const steps = plan.resource_changes.filter((c) => c.action !== "noop").flatMap((c) => c.steps);
    // Launch files written and removed, units enabled and disabled, sessions launched and stopped by mosaic and recorded by their units.
    expect(new Set(steps.map((s) => s.kind))).toEqual(new Set(["file.write", "file.remove", "systemctl", "tmux.launch", "tmux.stop"]));
    expect(steps.length).toBeGreaterThan(6);

    for (let k = 1; k <= steps.length; k++) {
      const at = `killed after step ${k} of ${steps.length}`;
      writeRoster([{ name: "b" }, { name: "c" }]);
      await ok("mosaic fleet apply --auto-approve");
      writeRoster(after);
      const killed = await sh("mosaic fleet apply --auto-approve", { MOSAIC_TEST_KILL_AFTER_STEP: String(k) });
      expect(killed.exitCode, at).not.toBe(0);
      expect(killed.stdout, at).not.toContain("Apply complete!");
      // A lock timeout of 0 refuses a lock still held: none may be left behind.
      const next = await sh("mosaic fleet apply --auto-approve --lock-timeout 0");
      expect(next.exitCode, `${at}\n${next.stdout}\n${next.stderr}`).toBe(0);
      await converged(["a", "b"], at);
      expect((await box.run(["tmux", "-L", "mosaic-factory", "display-message", "-p", "-t", "=b:", "#{pane_start_command}"])).stdout, at).toContain("2000");
      expect((await unitStates(["c"]))[0], at).toMatchObject({ ActiveState: "inactive" });
    }
  }, 300_000);

  it("the tmux server killed between a saved plan and its apply: the plan is refused, and a new apply restores the fleet", async () => {
    writeRoster([{ name: "a" }, { name: "b" }, { name: "d" }]);
    await ok("mosaic fleet plan --out ~/pending.plan");
    await ok("tmux -L mosaic-factory kill-server");
    // Every unit still says active (exited): only the sessions say the fleet is gone.
    const refused = await sh("mosaic fleet apply ~/pending.plan");
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/session "a" is gone/);
    expect(await sessions()).toEqual([]);
    await ok("mosaic fleet apply --auto-approve");
    await converged(["a", "b", "d"], "after the server was killed");
  }, 120_000);

  it("the user manager re-executed while an apply carries out its plan: the apply ends with a clear answer, and the next converges", async () => {
    for (const [round, reexec] of [
      [1, "systemctl --user daemon-reexec"],
      [2, "while kill -0 $pid 2>/dev/null; do systemctl --user daemon-reexec; done"],
      [3, "while kill -0 $pid 2>/dev/null; do systemctl --user daemon-reexec; done"],
    ] as const) {
      const at = `round ${round}: ${reexec}`;
      writeRoster([{ name: "a" }]);
      await ok("mosaic fleet apply --auto-approve");
      writeRoster([{ name: "a", args: [String(3000 + round)] }, { name: "b" }, { name: "e" }, { name: "f" }]);
      // Once the plan is printed (the observation is done), the manager re-executes: once, or back to back until the apply ends.
      const r = await sh(`mosaic fleet apply --auto-approve > ~/out 2> ~/err & pid=$!; until grep -q '^Plan:' ~/out || ! kill -0 $pid 2>/dev/null; do sleep 0.01; done; ${reexec}; wait $pid; rc=$?; cat ~/out; cat ~/err >&2; exit $rc`);
      // It may finish, or fail the steps the manager dropped, but it says which, in words, without a stack trace.
      expect(r.stderr, at).not.toMatch(/^\s+at .+:\d+:\d+\)?$|unexpected|--debug/m);
      if (r.exitCode !== 0) expect(r.stderr, at).toMatch(/^error: /m);
      const next = await sh("mosaic fleet apply --auto-approve --lock-timeout 0");
      expect(next.exitCode, `${at}\n${next.stdout}\n${next.stderr}`).toBe(0);
      await converged(["a", "b", "e", "f"], at);
    }
  }, 180_000);

  it("the launch files' folder full: the apply fails naming the file, leaves the old launch files whole and the fleet running, and converges once there is room", async () => {
    writeRoster([{ name: "a" }]);
    await ok("mosaic fleet apply --auto-approve");
    // A small tmpfs over the launch folder, inside the sandbox's namespace (the manager's ExecStart reads it too), holding the current files, then filled.
    await ok(`d='${launchDir()}'; k='${box.root}/keep'; mkdir -p "$k" && cp -a "$d"/. "$k"/ && mount -t tmpfs -o size=64k,mode=0700 tmpfs "$d" && cp -a "$k"/. "$d"/ && rm -rf "$k" && { head -c 1048576 /dev/zero > "$d/.fill"; true; }`);
    const before = (await ok(`cat '${launchDir()}/a.launch' | sha256sum`)).stdout;
    const pane = (await box.run(["tmux", "-L", "mosaic-factory", "display-message", "-p", "-t", "=a:", "#{pane_pid}"])).stdout;
    writeRoster([{ name: "a", args: ["4000"] }, { name: "g" }]);
    const r = await sh("mosaic fleet apply --auto-approve");
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/file\.launch\["a"\].*ENOSPC|ENOSPC.*a\.launch/);
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // Nothing half-written: the old launch file as it was, no temporary file, and a still running on it.
    expect((await ok(`cat '${launchDir()}/a.launch' | sha256sum`)).stdout).toBe(before);
    expect((await sh(`ls -A '${launchDir()}'`)).stdout.split("\n").filter((f) => f !== "" && f !== ".fill" && !f.endsWith(".launch"))).toEqual([]);
    expect((await box.run(["tmux", "-L", "mosaic-factory", "display-message", "-p", "-t", "=a:", "#{pane_pid}"])).stdout).toBe(pane);
    await ok(`rm '${launchDir()}/.fill'`);
    await ok("mosaic fleet apply --auto-approve");
    await converged(["a", "g"], "after the folder had room again");
    await ok(`umount '${launchDir()}'`);
  }, 120_000);
});
