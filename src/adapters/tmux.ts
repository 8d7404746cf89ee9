/**
 * The only place that builds tmux command lines. Every call names the
 * fleet's socket (-L) and the product's own config (-f), passes arguments
 * as an argv array (never a shell string), and addresses sessions with the
 * exact targets built by exactTarget().
 *
 * Facts about tmux 3.3a this file relies on, measured on this machine:
 * - A bare `-t agent1` is a prefix match: it finds `agent10`, and
 *   `kill-session -t agent1` killed agent10. `=name` is exact for session
 *   commands; window, pane and option commands need `=name:`.
 * - A new session's `.` and `:` are silently rewritten to `_`; names are
 *   validated before they get here.
 * - An argv element ending in `;` ends the command, even inside one
 *   argument (`x;` becomes `x` plus a separator); tmuxArg() escapes it.
 * - `new-session ... -- cmd` with a single argument runs it through
 *   `sh -c`; launchArgv() always passes two or more, so tmux execs directly.
 * - `list-panes -a -F` escapes control characters in session names but
 *   prints user option values raw; the observer validates what it reads.
 * - Without a UTF-8 locale (cron, systemd, `env -i`) the client prints
 *   every tab and non-ASCII character of its output as `_`. `-u` makes it
 *   write them as they are, whatever the caller's locale.
 */
import { execa } from "execa";
import { UserError } from "../errors.js";
import { join } from "node:path";

export interface TmuxResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A tmux session to start: its pane runs `argv` directly, not via a shell. */
export interface SessionLaunch {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Session user options (`@mosaic-managed`, `@mosaic-spec`, ...) set in the same invocation. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Fields read by list-panes, in order. Session name first: it is escaped by tmux. */
export const PANE_FIELDS = [
  "session_name",
  "window_index",
  "pane_index",
  "pane_pid",
  "pane_dead",
  "pane_dead_status",
  "session_created",
  "pane_current_command",
  "@mosaic-managed",
  "@mosaic-spec",
  "@mosaic-launch",
] as const;
export const FIELD_SEPARATOR = "\t";

/** A command separator in a batched invocation; never confused with a data argument ";". */
const SEP = Symbol("tmux command separator");
type Arg = string | typeof SEP;

export const MIN_TMUX = { major: 3, minor: 2 } as const;

export interface TmuxOptions {
  readonly socket: string;
  readonly configPath: string;
  /** Environment for the tmux client, and so for a server it starts. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly binary?: string;
}

/**
 * The one builder of `-t` targets, always exact: `=name` for session
 * commands (has-session, kill-session), `=name:` for window, pane and
 * option commands, which reject a bare `=name`.
 */
export function exactTarget(name: string, scope: "session" | "pane"): string {
  return scope === "session" ? `=${name}` : `=${name}:`;
}

/** Escape a trailing `;` so tmux keeps it as part of the argument. */
export function tmuxArg(arg: string): string {
  return arg.endsWith(";") ? `${arg.slice(0, -1)}\\;` : arg;
}

/**
 * The pane's argv. `env --` in front guarantees at least two arguments, so
 * tmux execs the agent itself instead of handing a lone argument to `sh -c`;
 * env then execs the agent, which keeps the pane pid.
 */
export function launchArgv(argv: readonly string[]): string[] {
  return ["env", "--", ...argv];
}

export function tmuxSocketPath(socket: string, env: Readonly<Record<string, string | undefined>>, uid: number): string {
  return join(env.TMUX_TMPDIR && env.TMUX_TMPDIR !== "" ? env.TMUX_TMPDIR : "/tmp", `tmux-${uid}`, socket);
}

export class TmuxClient {
  constructor(private readonly opts: TmuxOptions) {}

  get socket(): string {
    return this.opts.socket;
  }

  /** `tmux -V`, parsed. */
  async version(): Promise<{ raw: string; major: number; minor: number }> {
    const r = await this.run(["-V"], { bare: true });
    const m = /tmux (?:next-)?(\d+)\.(\d+)/.exec(r.stdout);
    return { raw: r.stdout.trim(), major: m ? Number(m[1]) : 0, minor: m ? Number(m[2]) : 0 };
  }

  /**
   * Every pane of every session in one call, as rows of PANE_FIELDS.
   * `null` when no server is running on the socket: nothing to observe.
   */
  async listAllPanes(): Promise<string[] | null> {
    const format = PANE_FIELDS.map((f) => `#{${f}}`).join(FIELD_SEPARATOR);
    const r = await this.run(["list-panes", "-a", "-F", format]);
    if (!r.ok) {
      if (isNoServer(r.stderr)) return null;
      throw new Error(`tmux list-panes failed on socket ${this.socket}: ${r.stderr.trim()}`);
    }
    return r.stdout === "" ? [] : r.stdout.split("\n");
  }

  /**
   * Start a detached session and label it, in one invocation. The labels
   * follow new-session in the same command queue; remain-on-exit is set on
   * the session as well as in the config, for a server someone else started.
   */
  async newSession(launch: SessionLaunch): Promise<TmuxResult> {
    const args: Arg[] = ["new-session", "-d", "-s", launch.name, "-x", "200", "-y", "50", "-c", launch.cwd];
    for (const [k, v] of Object.entries(launch.env)) args.push("-e", `${k}=${v}`);
    args.push("--", ...launchArgv(launch.argv));
    const target = exactTarget(launch.name, "pane");
    args.push(SEP, "set-option", "-w", "-t", target, "remain-on-exit", "on");
    for (const [k, v] of Object.entries(launch.labels)) args.push(SEP, "set-option", "-t", target, k, v);
    return this.run(args);
  }

  /** Set session user options in one invocation. */
  async setLabels(name: string, labels: Readonly<Record<string, string>>): Promise<TmuxResult> {
    const args: Arg[] = [];
    for (const [k, v] of Object.entries(labels)) {
      if (args.length > 0) args.push(SEP);
      args.push("set-option", "-t", exactTarget(name, "pane"), k, v);
    }
    return this.run(args);
  }

  async killSession(name: string): Promise<TmuxResult> {
    return this.run(["kill-session", "-t", exactTarget(name, "session")]);
  }

  private async run(args: readonly Arg[], opts: { bare?: boolean } = {}): Promise<TmuxResult> {
    const base = opts.bare ? [] : ["-u", "-L", this.opts.socket, "-f", this.opts.configPath];
    // Separators are tmux syntax; every other element is data and gets escaped.
    const argv = [...base, ...args.map((a) => (a === SEP ? ";" : tmuxArg(a)))];
    const env = { ...this.opts.env };
    delete env.TMUX; // a client inside tmux must not be steered to the enclosing server
    const binary = this.opts.binary ?? "tmux";
    const r = await execa(binary, argv, { reject: false, env, extendEnv: false, stdin: "ignore" });
    if (r.failed && r.exitCode === undefined && (r.cause as { code?: string } | undefined)?.code === "ENOENT") {
      throw new UserError(`${binary} not found on PATH`, [`mosaic needs tmux >= ${MIN_TMUX.major}.${MIN_TMUX.minor}; on Debian: apt-get install tmux`]);
    }
    return { ok: r.exitCode === 0, exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }
}

/** tmux's ways of saying there is no server on the socket. */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting to|No such file or directory|server exited unexpectedly/.test(stderr);
}

export function isDuplicateSession(stderr: string): boolean {
  return /duplicate session/.test(stderr);
}

export function isMissingSession(stderr: string): boolean {
  return /can't find session|no such session|session not found|no server running|error connecting to/.test(stderr);
}
