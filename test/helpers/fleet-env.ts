import { execa } from "execa";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import { LEGACY_OPTION_OF } from "../../src/identity/session-label.js";
import { mosaic, tempDir, type CliResult } from "./cli.js";

export interface TestAgent {
  name: string;
  command?: string;
  args?: string[];
  resume_args?: string[];
  enabled?: boolean;
  on_spec_change?: "replace" | "hold";
  env?: Record<string, string>;
  env_file?: string | string[];
  cwd?: string;
  submit?: { key?: string; settle_ms?: number };
  stop_grace_seconds?: number;
  ready_after_seconds?: number;
}

/**
 * A private world for one test: its own HOME, its own TMUX_TMPDIR (so even
 * the "default" tmux server is the test's), its own fleet socket, and a
 * sentinel session on that private default server that no mosaic command
 * may ever change.
 */
export class FleetWorld {
  readonly home = tempDir("fleet");
  readonly socket = `t${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly rosterPath: string;
  readonly env: Record<string, string>;
  private sentinel = "";

  constructor() {
    const tmuxDir = join(this.home.path, "tmux");
    mkdirSync(tmuxDir, { mode: 0o700 });
    this.rosterPath = join(this.home.path, "roster.yaml");
    this.env = { HOME: this.home.path, XDG_CONFIG_HOME: join(this.home.path, "config"), TMUX_TMPDIR: tmuxDir };
  }

  writeRoster(agents: TestAgent[], extra: Record<string, unknown> = {}): void {
    // A short ready_after_seconds keeps applies quick; tests about readiness set their own.
    const doc = { socket: this.socket, defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 2, ready_after_seconds: 0.3 }, ...extra, agents };
    writeFileSync(this.rosterPath, JSON.stringify(doc, null, 2)); // JSON is YAML
  }

  /** Run mosaic against this world's roster; then the sentinel must be exactly as it was. */
  async mosaic(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    const r = await mosaic([...args, "--roster", this.rosterPath], { ...this.env, ...opts.env }, opts);
    if (this.sentinel !== "") await this.expectSentinelUnchanged();
    return r;
  }

  /** Run mosaic and require exit 0, before the caller looks at any state. */
  async ok(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    const r = await this.mosaic(args, opts);
    expect(r.exitCode, `mosaic ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  }

  /**
   * A PATH whose `tmux` first runs `prelude` (sh, with $REAL the real tmux),
   * then the real one: to fake an old version, an odd error, or a race.
   */
  async wrappedTmuxPath(prelude: string): Promise<string> {
    const real = (await execa("sh", ["-c", "command -v tmux"])).stdout.trim();
    const dir = join(this.home.path, `wrap-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "tmux"), `#!/bin/sh\nREAL='${real}'\n${prelude}\nexec "$REAL" "$@"\n`);
    chmodSync(join(dir, "tmux"), 0o755);
    return `${dir}:${process.env.PATH}`;
  }

  /** tmux on the fleet's socket, from the test's side. */
  async tmux(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const r = await execa("tmux", ["-L", this.socket, ...args], { env: { ...this.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * What an agent can do from its own pane: rewrite one fact of its
   * session's label (`@mosaic`, key=value). With `legacy`, the session is
   * first made to look as an older mosaic left it (olderLabels), and the
   * separate option `@mosaic-<legacy>` is rewritten instead.
   */
  async rewriteLabel(session: string, key: string, value: string, opts: { legacy?: string } = {}): Promise<void> {
    const target = `=${session}:`;
    if (opts.legacy !== undefined) {
      await this.olderLabels(session);
      expect((await this.tmux(["set-option", "-t", target, `@mosaic-${opts.legacy}`, value])).exitCode).toBe(0);
      return;
    }
    const tokens = (await this.label(session)).split(" ");
    const at = tokens.findIndex((t) => t.startsWith(`${key}=`));
    tokens.splice(at === -1 ? tokens.length : at, at === -1 ? 0 : 1, `${key}=${value}`);
    expect((await this.tmux(["set-option", "-t", target, "@mosaic", tokens.join(" ")])).exitCode).toBe(0);
  }

  /**
   * Relabel a session as mosaic before format 2 labelled it: each fact in
   * its own option (@mosaic-managed, @mosaic-spec, ...), no `@mosaic`.
   */
  async olderLabels(session: string): Promise<void> {
    const target = `=${session}:`;
    const [, ...tokens] = (await this.label(session)).split(" ");
    const option = (t: string) => LEGACY_OPTION_OF[t.slice(0, t.indexOf("=")) as keyof typeof LEGACY_OPTION_OF];
    const commands = tokens.flatMap((t) => [";", "set-option", "-t", target, option(t), t.slice(t.indexOf("=") + 1)]);
    expect((await this.tmux(["set-option", "-u", "-t", target, "@mosaic", ...commands])).exitCode).toBe(0);
  }

  /** The session's `@mosaic` label, which must be there. */
  async label(session: string): Promise<string> {
    const value = (await this.tmux(["show-options", "-v", "-t", `=${session}:`, "@mosaic"])).stdout.trim();
    expect(value).toMatch(/^v2 /);
    return value;
  }

  /** tmux on the private default server (no -L). */
  private async defaultTmux(args: string[]) {
    return execa("tmux", args, { env: { ...this.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
  }

  /** session -> pane pid, for every session on the fleet's socket. */
  async panes(): Promise<Record<string, number>> {
    const r = await this.tmux(["list-panes", "-a", "-F", "#{session_name} #{pane_pid}"]);
    if (r.exitCode !== 0) return {};
    return Object.fromEntries(r.stdout.split("\n").filter(Boolean).map((l) => [l.split(" ")[0]!, Number(l.split(" ")[1])]));
  }

  async sessionNames(): Promise<string[]> {
    return Object.keys(await this.panes()).sort();
  }

  async startSentinel(): Promise<void> {
    const r = await this.defaultTmux(["new-session", "-d", "-s", "sentinel", "--", "sleep", "100000"]);
    expect(r.exitCode).toBe(0);
    this.sentinel = await this.sentinelState();
  }

  private async sentinelState(): Promise<string> {
    return (await this.defaultTmux(["list-panes", "-a", "-F", "#{session_name} #{session_created} #{pane_pid} #{pane_dead}"])).stdout;
  }

  /** The private default server's sessions are exactly as they were. */
  async expectSentinelUnchanged(): Promise<void> {
    expect(this.sentinel).not.toBe("");
    expect(await this.sentinelState()).toBe(this.sentinel);
  }

  async dispose(): Promise<void> {
    await this.tmux(["kill-server"]);
    await this.defaultTmux(["kill-server"]);
    this.home.cleanup();
  }
}

/**
 * A fresh FleetWorld for each test of the calling file, with its sentinel
 * started before and checked and torn down after. Read it through the getter.
 */
export function useFleetWorld(): () => FleetWorld {
  let world: FleetWorld | undefined;
  beforeEach(async () => {
    world = new FleetWorld();
    await world.startSentinel();
  });
  afterEach(async () => {
    // Torn down even when the check (or the test) failed, so no private server outlives a run.
    try {
      await world!.expectSentinelUnchanged();
    } finally {
      await world!.dispose();
    }
  });
  return () => world!;
}
