import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostname } from "node:os";
import { echoAgentPath } from "../helpers/echo-agents.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstalled } from "../../src/adapters/install-record.js";
import { fileHash } from "../../src/identity/file-hash.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd backend tests need a user manager in a mount namespace: ${why}`);

/** The brief's install sequences, line for line. */
const INSTALL = {
  minimal: ["mosaic fleet init --profile minimal --write", "mosaic fleet install-systemd", "systemctl --user daemon-reload", "mosaic fleet start", "mosaic fleet verify"],
  "local-canary": ["mosaic fleet init --profile local-canary --write", "mosaic fleet install-systemd", "systemctl --user daemon-reload", "mosaic fleet start", "mosaic fleet status"],
} as const;

/** The agents each profile enables (local-canary's reviewer is disabled). */
const AGENTS = { minimal: ["canary-pi"], "local-canary": ["canary-claude", "canary-codex", "canary-pi"] } as const;

/** The brief's rollback, then its full cleanup, line for line (with one disable per enabled agent). */
const rollback = (agents: readonly string[]) => [
  "mosaic fleet stop",
  ...agents.map((a) => `systemctl --user disable mosaic-agent@${a}.service`),
  "systemctl --user disable mosaic-tmux-holder.service",
  "systemctl --user daemon-reload",
  "rm -f ~/.config/systemd/user/mosaic-agent@.service",
  "rm -f ~/.config/systemd/user/mosaic-tmux-holder.service",
  "rm -rf ~/.config/mosaic/fleet",
  "rm -rf ~/.config/mosaic/tools/fleet",
];

/** The README's line for what that cleanup leaves: the tmux config, the launch files (the roster's env) and the install record. */
const CLEANUP_REST = "rm -rf ~/.config/mosaic/tools ~/.local/state/mosaic";

describe.skipIf(why !== null).each(["minimal", "local-canary"] as const)("the brief's %s fleet under systemd --user", (profile) => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const agents = AGENTS[profile];
  /** A line of the brief, as a user types it in their shell, inside the sandbox. */
  const sh = (line: string) => box.run(["sh", "-c", line]);
  const ok = async (line: string) => {
    const r = await sh(line);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const sessions = async (socket = "mosaic-factory") => (await box.run(["tmux", "-L", socket, "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  const defaultSessions = async () => (await box.run(["tmux", "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  const unit = async (name: string) => {
    const r = await box.systemctl(["show", "-p", "ActiveState,UnitFileState,InvocationID,NeedDaemonReload", name]);
    return Object.fromEntries(r.stdout.split("\n").map((l) => l.split("=", 2) as [string, string]));
  };
  const panePid = async (name: string) => (await box.run(["tmux", "-L", "mosaic-factory", "display-message", "-p", "-t", `=${name}:`, "#{pane_pid}"])).stdout.trim();
  const units = () => ["mosaic-tmux-holder.service", ...agents.map((a) => `mosaic-agent@${a}.service`)];

  /** systemd and tmux agree: every fleet unit is active exactly when its session exists. */
  const agree = async () => {
    const live = new Set(await sessions());
    for (const u of units()) {
      const session = u === "mosaic-tmux-holder.service" ? "_holder" : u.slice("mosaic-agent@".length, -".service".length);
      expect((await unit(u)).ActiveState, `${u} vs session ${session}`).toBe(live.has(session) ? "active" : "inactive");
    }
  };

  beforeAll(async () => {
    await box.start();
    // The agents' programs, where the units' PATH finds them (~/.local/bin), and mosaic on the user's PATH.
    const bin = join(home(), ".local", "bin");
    mkdirSync(bin, { recursive: true });
    // Stand-ins that answer messages: the shipped echo agent under the agents' names.
    for (const name of ["pi", "claude", "codex"]) {
      writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${echoAgentPath}" "$@"\n`);
      chmodSync(join(bin, name), 0o755);
    }
    box.putMosaicOnPath();
    box.env.USER = "op";
    // The user's own tmux server, which nothing here may touch.
    expect((await box.run(["tmux", "new-session", "-d", "-s", "mine", "sleep", "100000"])).exitCode).toBe(0);
  });
  afterAll(async () => {
    await box.run(["tmux", "kill-server"]);
    await box.run(["tmux", "-L", "mosaic-factory", "kill-server"]);
    await box.dispose();
  });

  it("installs exactly as the brief says, and the holder's unit is active", async () => {
    for (const line of INSTALL[profile]) await ok(line);
    expect(await sessions()).toEqual(["_holder", ...agents].sort());
    const status = await ok("systemctl --user status mosaic-tmux-holder.service");
    expect(status.stdout).toContain("active (exited)");
    for (const u of units()) expect(await unit(u)).toMatchObject({ ActiveState: "active", UnitFileState: "enabled" });
    expect(await defaultSessions()).toEqual(["mine"]);
    expect((await ok("mosaic fleet plan --detailed-exitcode")).stdout).toContain("No changes.");
  });

  it("install-systemd a second time changes nothing", async () => {
    const file = join(home(), ".config", "systemd", "user", "mosaic-agent@.service");
    const before = statSync(file).mtimeMs;
    const r = await ok("mosaic fleet install-systemd");
    expect(r.stdout).toContain("No changes. The installed files match this mosaic.");
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it("the brief's agent operations work as written through the units", async () => {
    expect((await ok("mosaic agent roster")).stdout).toContain("canary-pi");
    expect((await ok("mosaic agent status")).stdout).toMatch(/^canary-pi +running /m);
    const status = await ok("mosaic agent status canary-pi");
    expect(status.stdout).toMatch(/^NAME +DESIRED .* UNIT +DRIFT$/m);
    expect(status.stdout).toMatch(/^canary-pi +running +yes +yes .* active \(exited\), enabled +-$/m);
    const sent = await ok('mosaic agent send canary-pi --message "status check"');
    expect(sent.stdout).toMatch(new RegExp(`^Sent to canary-pi \\(pane %\\d+\\) as ${hostname()}:operator: status check$`, "m"));
    const answered = await ok("mosaic agent tail canary-pi -n 80");
    expect(answered.stdout).toContain(`[canary-pi] received: [from ${hostname()}:operator] status check`);
    const pid = await panePid("canary-pi");
    const r = await ok("mosaic agent reset canary-pi --new");
    expect(r.stdout).toContain("Apply complete!");
    expect(await panePid("canary-pi")).not.toBe(pid);
    expect((await box.run(["tmux", "-L", "mosaic-factory", "show-options", "-v", "-t", "=canary-pi:", "@mosaic"])).stdout).toContain(" launch=new ");
    // The unit still tracks it, and its launch file still resumes: the next boot continues the conversation.
    expect((await unit("mosaic-agent@canary-pi.service")).ActiveState).toBe("active");
    expect(readFileSync(join(home(), ".local", "state", "mosaic", "fleet", "canary-pi.launch"), "utf8")).toContain("--continue");
    await agree();
    const tail = await ok("mosaic agent tail canary-pi -n 80");
    expect(tail.stdout).toMatch(/^\[canary-pi\] ready: new conversation \(pid \d+\)$/m);
    expect(tail.stdout).not.toContain("status check");
  });

  it("a session killed behind the fleet's back is drift, repaired by restarting its unit", async () => {
    const before = (await unit("mosaic-agent@canary-pi.service")).InvocationID;
    await ok("tmux -L mosaic-factory kill-session -t =canary-pi");
    const plan = await sh("mosaic fleet plan --detailed --detailed-exitcode");
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(2);
    // mosaic starts the session itself, as the unit would, and the unit records it (stopped and started: a new invocation).
    expect(plan.stdout).toContain("run:     systemctl --user stop mosaic-agent@canary-pi.service (recording what mosaic did)");
    expect(plan.stdout).toContain("then:    tmux new-session -d -s canary-pi\n      then:    systemctl --user start mosaic-agent@canary-pi.service (recording what mosaic did)");
    await ok("mosaic fleet apply --auto-approve");
    expect(await sessions()).toContain("canary-pi");
    expect((await unit("mosaic-agent@canary-pi.service")).InvocationID).not.toBe(before);
    await agree();
  });

  it("a tmux server killed behind the fleet's back is brought back by the holder's unit, never by an agent's", async () => {
    await ok("tmux -L mosaic-factory kill-server");
    // An agent's unit refuses to start a server: it would live in that unit's cgroup, and stopping that unit would end every agent.
    expect((await box.systemctl(["restart", "mosaic-agent@canary-pi.service"])).exitCode).not.toBe(0);
    expect(await sessions()).toEqual([]);
    const plan = await sh("mosaic fleet plan --detailed --detailed-exitcode");
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(2);
    // Stop, then start: a restart would restart every agent unit that requires it, outside the plan.
    expect(plan.stdout).toContain("run:     systemctl --user stop mosaic-tmux-holder.service\n      then:    systemctl --user start mosaic-tmux-holder.service");
    await ok("mosaic fleet apply --auto-approve");
    expect(await sessions()).toEqual(["_holder", ...agents].sort());
    const server = (await box.run(["tmux", "-L", "mosaic-factory", "display-message", "-p", "#{pid}"])).stdout.trim();
    expect(readFileSync(`/proc/${server}/cgroup`, "utf8")).toContain("mosaic-tmux-holder.service");
    await agree();
  });

  it("start, restart, stop and start again leave systemd and tmux agreeing", async () => {
    expect((await ok("mosaic fleet start")).stdout).toContain("No changes.");
    const pids = await Promise.all(agents.map(panePid));
    await ok("mosaic fleet restart");
    expect(await Promise.all(agents.map(panePid))).not.toEqual(pids);
    await agree();
    await ok("mosaic fleet stop");
    expect(await sessions()).toEqual([]);
    await agree();
    // A stop leaves enablement as the roster says: the fleet still comes back at login.
    for (const u of units()) expect((await unit(u)).UnitFileState).toBe("enabled");
    await ok("mosaic fleet start");
    expect(await sessions()).toEqual(["_holder", ...agents].sort());
    await agree();
    expect((await ok("mosaic fleet start")).stdout).toContain("No changes.");
    expect(await defaultSessions()).toEqual(["mine"]);
  });

  it("update leaves an edited site roster byte for byte, and a unit-file change is a daemon-reload that restarts no agent", async () => {
    const roster = join(home(), ".config", "mosaic", "fleet", "roster.yaml");
    writeFileSync(roster, `${readFileSync(roster, "utf8")}# my own note\n`);
    const mine = readFileSync(roster);
    expect((await ok("mosaic update --auto-approve")).stdout).toContain("No changes.");
    expect(readFileSync(roster)).toEqual(mine);

    // An older mosaic's unit file, as that mosaic recorded writing it.
    const template = join(home(), ".config", "systemd", "user", "mosaic-agent@.service");
    const older = readFileSync(template, "utf8").replace("TimeoutStopSec=660", "TimeoutStopSec=600");
    writeFileSync(template, older);
    await recordInstalled(box.env, [{ path: template, hash: fileHash(older) }]);
    await ok("systemctl --user daemon-reload");
    const pids = await Promise.all(agents.map(panePid));
    const invocations = await Promise.all(units().map(async (u) => (await unit(u)).InvocationID));

    const r = await ok("mosaic update --auto-approve");
    expect(r.stdout).toContain("run:     systemctl --user daemon-reload");
    expect(r.stdout).toContain("-TimeoutStopSec=600");
    expect(readFileSync(roster)).toEqual(mine);
    expect(await Promise.all(agents.map(panePid))).toEqual(pids);
    expect(await Promise.all(units().map(async (u) => (await unit(u)).InvocationID))).toEqual(invocations);
    expect((await unit("mosaic-agent@canary-pi.service")).NeedDaemonReload).toBe("no");
    expect((await ok("mosaic fleet plan --detailed-exitcode")).stdout).toContain("No changes.");
  });

  it("the brief's rollback leaves no fleet session, no unit, and the default tmux server as it was", async () => {
    for (const line of rollback(agents)) await ok(line);
    // "If a canary session is still present after service stop, remove only the isolated socket server."
    expect(await sessions()).toEqual([]);
    const left = await box.systemctl(["list-units", "--all", "--plain", "--no-legend", "mosaic-*"]);
    expect(left.stdout.trim()).toBe("");
    const files = await box.systemctl(["list-unit-files", "--plain", "--no-legend", "mosaic-*"]);
    expect(files.stdout.trim()).toBe("");
    expect(await defaultSessions()).toEqual(["mine"]);
  });

  it("after the rollback update finds nothing installed and changes nothing, before and after the README's last cleanup line", async () => {
    const left = [join(home(), ".config", "mosaic", "tools", "tmux"), join(home(), ".config", "mosaic", "tools", "lib"), join(home(), ".local", "state", "mosaic")];
    // What the brief's cleanup leaves behind, which used to count as "installed" and be reinstalled in full.
    for (const p of left) expect(existsSync(p), p).toBe(true);
    for (const cleanup of [CLEANUP_REST, null]) {
      const r = await ok("mosaic update --auto-approve");
      expect(r.stdout).toContain("No changes. Nothing is installed.");
      expect(r.stdout).not.toContain("daemon-reload");
      expect(existsSync(join(home(), ".config", "systemd", "user", "mosaic-agent@.service"))).toBe(false);
      expect(existsSync(join(home(), ".config", "mosaic", "tools", "fleet"))).toBe(false);
      if (cleanup) await ok(cleanup);
    }
    for (const p of left) expect(existsSync(p), p).toBe(false);
    // No empty tools folder left behind: ~/.config/mosaic holds the roster's folder at most.
    expect(existsSync(join(home(), ".config", "mosaic", "tools"))).toBe(false);
  });
});

describe.skipIf(why !== null)("a fleet started directly, then put under systemd", () => {
  const box = new SystemdSandbox();
  const sh = (line: string) => box.run(["sh", "-c", line]);
  const ok = async (line: string) => {
    const r = await sh(line);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const pids = async () => (await box.run(["tmux", "-L", "mosaic-factory", "list-panes", "-a", "-F", "#{session_name} #{pane_pid}"])).stdout;

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    const roster = join(box.env.HOME!, ".config", "mosaic", "fleet", "roster.yaml");
    mkdirSync(join(roster, ".."), { recursive: true });
    writeFileSync(roster, "socket: mosaic-factory\ndefaults:\n  command: sleep\n  args: ['100000']\n  ready_after_seconds: 0.2\nagents:\n  - name: alpha\n  - name: beta\n");
  });
  afterAll(async () => {
    await box.run(["tmux", "-L", "mosaic-factory", "kill-server"]);
    await box.dispose();
  });

  it("install-systemd refuses to write units where the user manager does not read them, and writes nothing", async () => {
    const r = await sh("XDG_CONFIG_HOME=$HOME/cfg2 mosaic fleet install-systemd");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`Error: systemd does not read unit files from ${box.env.HOME}/cfg2/systemd/user`);
    expect((await sh("test -e $HOME/cfg2 || test -e $HOME/.config/mosaic/tools")).exitCode).toBe(1);
  });

  it("is adopted: its units start and are enabled, and no agent is restarted", async () => {
    await ok("mosaic fleet start");
    const before = await pids();
    expect(before).toMatch(/^alpha \d+$/m);
    await ok("mosaic fleet install-systemd --reload");

    const plan = await sh("mosaic fleet plan --detailed --detailed-exitcode");
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toContain("Backend: systemd");
    expect(plan.stdout).toContain("run:     systemctl --user enable mosaic-agent@alpha.service");
    expect(plan.stdout).toContain("then:    systemctl --user start mosaic-agent@alpha.service");
    expect(plan.stdout).not.toMatch(/tmux\.session\["(alpha|beta|_holder)"\] (must be replaced|will be destroyed)/);

    await ok("mosaic fleet start");
    expect(await pids()).toBe(before);
    for (const u of ["mosaic-tmux-holder.service", "mosaic-agent@alpha.service", "mosaic-agent@beta.service"]) {
      expect((await box.systemctl(["show", "-p", "ActiveState,UnitFileState", u])).stdout).toBe("ActiveState=active\nUnitFileState=enabled");
    }
    expect((await ok("mosaic fleet plan --detailed-exitcode")).stdout).toContain("No changes.");
  });
});
