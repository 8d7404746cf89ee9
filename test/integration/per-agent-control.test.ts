import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const sleeper = { command: "sleep", args: ["100000"] };

describe("fleet start --agent and fleet stop --agent (direct backend)", () => {
  const world = useFleetWorld();

  it("stop one agent, leaving the others and the holder running; the next full plan shows it as drift; start brings it back alone", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha", ...sleeper }, { name: "beta", ...sleeper }], { defaults: { ready_after_seconds: 0, stop_grace_seconds: 1 } });
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const pid = async (name: string) => (await w.tmux(["display-message", "-p", "-t", `=${name}:`, "#{pane_pid}"])).stdout.trim();
    const beta = await pid("beta");

    const stopped = await w.ok(["fleet", "stop", "--agent", "alpha", "--detailed"]);
    expect(stopped.stdout).toContain('tmux.session["alpha"]');
    expect(stopped.stdout).not.toContain('tmux.session["beta"]');
    expect(stopped.stdout).toContain("Verified: alpha is stopped; the rest of the fleet was left as it is.");
    expect(await w.sessionNames()).toEqual(["_holder", "beta"]);
    expect(await pid("beta")).toBe(beta);

    const drift = await w.mosaic(["fleet", "plan", "--detailed", "--detailed-exitcode"]);
    expect(drift.exitCode).toBe(2);
    expect(drift.stdout).toMatch(/tmux\.session\["alpha"\] will be created/);

    // beta drifts too (its spec changed): a start of alpha leaves it for the full plan.
    w.writeRoster([{ name: "alpha", ...sleeper }, { name: "beta", command: "sleep", args: ["200000"] }], { defaults: { ready_after_seconds: 0, stop_grace_seconds: 1 } });
    const started = await w.ok(["fleet", "start", "--agent", "alpha"]);
    expect(started.stdout).toContain("Verified: alpha matches the roster; the rest of the fleet was left as it is.");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha", "beta"]);
    expect(await pid("beta")).toBe(beta);
    const again = await w.ok(["fleet", "start", "--agent", "alpha"]);
    expect(again.stdout).toContain("No changes. alpha matches the roster.");
    const rest = await w.mosaic(["fleet", "plan", "--detailed", "--detailed-exitcode"]);
    expect(rest.exitCode).toBe(2);
    expect(rest.stdout).toMatch(/tmux\.session\["beta"\] must be replaced/);
    expect(rest.stdout).not.toContain('tmux.session["alpha"]');
  });

  it("start --agent from an empty socket starts the holder it needs with it, and nothing else", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha", ...sleeper }, { name: "beta", ...sleeper }], { defaults: { ready_after_seconds: 0 } });
    await w.ok(["fleet", "start", "--agent", "beta"]);
    expect(await w.sessionNames()).toEqual(["_holder", "beta"]);
  });

  it("refuses a name the roster does not have, or a disabled agent to start, before anything changes", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha", ...sleeper }, { name: "off", ...sleeper, enabled: false }], { defaults: { ready_after_seconds: 0 } });
    for (const args of [["fleet", "start", "--agent", "nope"], ["fleet", "stop", "--agent", "nope"], ["fleet", "start", "--agent", "off"]]) {
      const r = await w.mosaic(args);
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toMatch(/^error: --agent: (no agent "nope" in the roster|agent "off" is disabled)/);
    }
    expect(await w.sessionNames()).toEqual([]);
  });
});

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${why}`);

describe.skipIf(why !== null)("fleet start --agent and fleet stop --agent under systemd", () => {
  const box = new SystemdSandbox();
  const roster = () => join(box.env.HOME!, "roster.yaml");
  const sh = async (line: string) => {
    const r = await box.run(["sh", "-c", line]);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const unit = async (agent: string) => (await box.systemctl(["show", "-p", "ActiveState,UnitFileState", `mosaic-agent@${agent}.service`])).stdout.trim().split("\n").sort().join(" ");
  const sessions = async () => (await box.run(["tmux", "-L", "per-agent", "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    writeFileSync(roster(), JSON.stringify({ socket: "per-agent", backend: "systemd", defaults: { ...sleeper, stop_grace_seconds: 1, ready_after_seconds: 0 }, agents: [{ name: "alpha" }, { name: "beta" }] }));
    await sh(`mosaic fleet install-systemd --reload --roster ${roster()}`);
    await sh(`mosaic fleet start --roster ${roster()}`);
  });
  afterAll(() => box.dispose());

  it("stops one agent's session and unit, which stays enabled, and starts it again; the other agent's unit is never touched", async () => {
    const betaInvocation = (await box.systemctl(["show", "-p", "InvocationID", "--value", "mosaic-agent@beta.service"])).stdout.trim();
    await sh(`mosaic fleet stop --agent alpha --roster ${roster()}`);
    expect(await sessions()).toEqual(["_holder", "beta"]);
    expect(await unit("alpha")).toBe("ActiveState=inactive UnitFileState=enabled");
    expect(await unit("beta")).toBe("ActiveState=active UnitFileState=enabled");

    await sh(`mosaic fleet start --agent alpha --roster ${roster()}`);
    expect(await sessions()).toEqual(["_holder", "alpha", "beta"]);
    expect(await unit("alpha")).toBe("ActiveState=active UnitFileState=enabled");
    expect((await box.systemctl(["show", "-p", "InvocationID", "--value", "mosaic-agent@beta.service"])).stdout.trim()).toBe(betaInvocation);
    const plan = await box.run(["sh", "-c", `mosaic fleet plan --detailed-exitcode --roster ${roster()}`]);
    expect(plan.exitCode, plan.stdout).toBe(0);
  });
});
