import { execa } from "execa";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CmdlineWatcher } from "../helpers/cmdline-watcher.js";
import { eventually } from "../helpers/eventually.js";
import { useFleetWorld } from "../helpers/fleet-env.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

/**
 * A roster's env values (API keys) on no command line. Every local user can
 * read every process's argv in /proc; the launch files are 0600 for this
 * reason. Two witnesses: another user (nobody) polling /proc, as an
 * attacker would, and a tmux on PATH that logs every argument it is given,
 * which sees every tmux call, however short-lived.
 */
const SECRET = `sk-planted-${Math.random().toString(36).slice(2, 12)}`;
const noOtherUser = await CmdlineWatcher.unavailable();
if (noOtherUser) console.warn(`SKIPPED in part: ${noOtherUser}`);

/** A directory holding a `tmux` that logs each call's arguments, one call per line, to `log`, then runs the real one. */
async function loggingTmux(dir: string, log: string): Promise<void> {
  const real = (await execa("sh", ["-c", "command -v tmux"])).stdout.trim();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "tmux"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, "tmux"), 0o755);
}

/** The agent's own environment, where the value must arrive. */
function environOf(pid: string): string {
  return readFileSync(`/proc/${pid}/environ`, "latin1");
}

describe("a roster secret, direct backend", () => {
  const world = useFleetWorld();

  it("reaches the agent through apply, restart and reset, and is on no process's command line", async () => {
    const w = world();
    const log = join(w.home.path, "tmux-calls.log");
    await loggingTmux(join(w.home.path, "logging-bin"), log);
    const env = { PATH: `${join(w.home.path, "logging-bin")}:${process.env.PATH}` };
    w.writeRoster([{ name: "alpha", env: { OPENAI_API_KEY: SECRET, PLAIN: "x" } }]);
    const watcher = noOtherUser ? null : new CmdlineWatcher(SECRET);
    await watcher?.start();
    await w.ok(["fleet", "apply", "--auto-approve"], { env });
    await w.ok(["fleet", "restart"], { env });
    await w.ok(["agent", "reset", "alpha"], { env });
    const seen = await watcher?.stop();

    const pid = (await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_pid}"])).stdout.trim();
    expect(environOf(pid)).toContain(`OPENAI_API_KEY=${SECRET}\0`);
    const calls = readFileSync(log, "utf8");
    if (seen) {
      expect(seen.passes).toBeGreaterThan(10);
      expect(seen.seen).toEqual([]);
    }
    expect(calls).not.toContain(SECRET);
    expect(calls).toContain("source-file"); // the witness saw the launches
  });

  it.skipIf(noOtherUser !== null)("the other user's watcher does see a secret that is on a command line", async () => {
    const watcher = new CmdlineWatcher(SECRET);
    await watcher.start();
    const leaky = execa("sh", ["-c", "sleep 100000", "sh", SECRET], { reject: false });
    try {
      await eventually(() => watcher.seenSoFar() > 0, { what: "the watcher to see sh's argv" });
    } finally {
      leaky.kill("SIGKILL");
    }
    expect((await watcher.stop()).seen).toEqual([expect.stringContaining(SECRET)]);
  });
});

const noManager = await SystemdSandbox.unavailable();
if (noManager) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${noManager}`);

describe.skipIf(noManager !== null)("a roster secret, systemd backend", () => {
  const box = new SystemdSandbox();
  const roster = () => join(box.env.HOME!, "roster.yaml");
  const log = () => join(box.root, "tmux-calls.log");
  const sh = async (line: string) => {
    const r = await box.run(["sh", "-c", line]);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    // First on the units' PATH (%h/.local/bin) and on the shell's: every tmux call of the CLI and of the units is logged.
    const bin = join(box.env.HOME!, ".local", "bin");
    await loggingTmux(bin, log());
    box.env.PATH = `${bin}:${box.env.PATH}`;
    writeFileSync(roster(), JSON.stringify({ socket: "secret-fleet", backend: "systemd", defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 2 }, agents: [{ name: "alpha", env: { OPENAI_API_KEY: SECRET } }] }));
  });
  afterAll(() => box.dispose());

  it("reaches the agent through install, start, restart and a start at login, and is on no process's command line", async () => {
    const watcher = noOtherUser ? null : new CmdlineWatcher(SECRET);
    await watcher?.start();
    await sh(`mosaic fleet install-systemd --roster ${roster()}`);
    await sh(`mosaic fleet start --roster ${roster()}`);
    await sh(`mosaic fleet restart --roster ${roster()}`);
    // What a login does: the manager starts the enabled units from nothing.
    await sh("systemctl --user stop mosaic-tmux-holder.service && systemctl --user start default.target");
    const seen = await watcher?.stop();

    const pid = (await sh("tmux -L secret-fleet display-message -p -t =alpha: '#{pane_pid}'")).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    expect(environOf(pid)).toContain(`OPENAI_API_KEY=${SECRET}\0`);
    expect(existsSync(log())).toBe(true);
    const calls = readFileSync(log(), "utf8");
    if (seen) {
      expect(seen.passes).toBeGreaterThan(10);
      expect(seen.seen).toEqual([]);
    }
    expect(calls).not.toContain(SECRET);
    expect(calls).toContain("source-file");
  });
});
