/**
 * The only place that builds tmux command lines. Every call names the
 * fleet's socket (-L) and the product's own config (-f), passes arguments
 * as an argv array (never a shell string), and addresses sessions and panes
 * with the exact targets built by exactTarget().
 *
 * Facts about tmux 3.3a this file relies on, measured on this machine:
 * - A bare `-t agent1` is a prefix match: it finds `agent10`, and
 *   `kill-session -t agent1` killed agent10. `=name` is exact for session
 *   commands; window, pane and option commands need `=name:`. A pane id
 *   (`%12`) is exact and unique for the server's lifetime.
 * - A new session's `.` and `:` are silently rewritten to `_`; names are
 *   validated before they get here. Session names are stored with control
 *   characters escaped (`a\tb`), even after `rename-session`.
 * - An argv element ending in `;` ends the command, even inside one
 *   argument (`x;` becomes `x` plus a separator); tmuxArg() escapes it.
 * - `new-session ... -- cmd` with a single argument runs it through
 *   `sh -c`; launchArgv() always passes two or more, so tmux execs directly.
 * - `list-panes -F` prints a pane's current command and user option values
 *   raw: a process named "x\n_holder\t..." printed a forged row. Every such
 *   free-text field is read through sanitised(), which turns control
 *   characters into `?` inside tmux, so no value can split a row.
 * - `list-panes -a` on a server with no sessions (the moment after the last
 *   one is killed) fails with "no current target": an empty observation.
 * - Without a UTF-8 locale (cron, systemd, `env -i`) the client prints
 *   every tab and non-ASCII character of its output as `_`. `-u` makes it
 *   write them as they are, whatever the caller's locale.
 */
import { spawn } from "node:child_process";
import { runFile } from "./exec.js";
import { UserError } from "../errors.js";
import { MIN_TMUX } from "../identity/requirements.js";
import { join } from "node:path";
import { formatSessionLabel, LEGACY_LABELS, SESSION_LABEL, type SessionLabels } from "../identity/session-label.js";
import type { SessionLaunch } from "../identity/launch-file.js";

export interface TmuxResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Free text an agent can write (its process name, user options) has every
 * control character replaced by `?` inside tmux. The bracket holds literal
 * control bytes because tmux's format parser ends the modifier at the `:`
 * of `[[:cntrl:]]`.
 */
const sanitised = (name: string) => `#{s/[\x01-\x1f\x7f]/?/:${name}}`;
const plain = (name: string) => `#{${name}}`;

/**
 * Fields read by list-panes, in order. Only numbers, tmux's own ids and
 * version, and session names (escaped by tmux) are read plain. A session
 * carries either `@mosaic` (label) or, if an older mosaic started it, the
 * legacy labels (spec/session-label.ts).
 */
export const PANE_FIELDS = [
  ["session_name", plain("session_name")],
  ["window_index", plain("window_index")],
  ["pane_index", plain("pane_index")],
  ["pane_id", plain("pane_id")],
  ["pane_pid", plain("pane_pid")],
  ["pane_dead", plain("pane_dead")],
  ["pane_dead_status", plain("pane_dead_status")],
  ["pane_dead_signal", plain("pane_dead_signal")],
  ["session_created", plain("session_created")],
  ["pane_current_command", sanitised("pane_current_command")],
  ["managed", sanitised(LEGACY_LABELS.managed)],
  ["spec", sanitised(LEGACY_LABELS.spec)],
  ["spec_fields", sanitised(LEGACY_LABELS.specFields)],
  ["launch", sanitised(LEGACY_LABELS.launch)],
  ["pane", sanitised(LEGACY_LABELS.pane)],
  ["roster", sanitised(LEGACY_LABELS.roster)],
  ["server_version", plain("version")],
  ["label", sanitised(SESSION_LABEL)],
] as const;
export type PaneField = (typeof PANE_FIELDS)[number][0];
export const FIELD_SEPARATOR = "\t";

/** Every option name a label may be read from. */
const LABEL_OPTIONS = [SESSION_LABEL, ...Object.values(LEGACY_LABELS)];

const LEGACY_FIELDS: ReadonlySet<PaneField> = new Set(["managed", "spec", "spec_fields", "launch", "pane", "roster"]);

/**
 * The list-panes format of PANE_FIELDS. A row whose session has `@mosaic`
 * prints the legacy fields empty without evaluating them: each sanitised
 * field is a regex run per row, and at 1,000 sessions the six of them
 * cost tmux about 20 ms for nothing.
 */
export const PANE_FORMAT = (() => {
  const legacy = PANE_FIELDS.filter(([name]) => LEGACY_FIELDS.has(name));
  const at = PANE_FIELDS.findIndex(([name]) => LEGACY_FIELDS.has(name));
  if (PANE_FIELDS.slice(at, at + legacy.length).some(([name]) => !LEGACY_FIELDS.has(name))) throw new Error("the legacy pane fields must be adjacent");
  const group = `#{?#{${SESSION_LABEL}},${FIELD_SEPARATOR.repeat(legacy.length - 1)},${legacy.map(([, f]) => f).join(FIELD_SEPARATOR)}}`;
  return [...PANE_FIELDS.slice(0, at).map(([, f]) => f), group, ...PANE_FIELDS.slice(at + legacy.length).map(([, f]) => f)].join(FIELD_SEPARATOR);
})();

/** A pane's process as tmux reports it right now; numbers only, so nothing in it is agent text. */
export interface PaneProcess {
  readonly pid: number;
  readonly dead: boolean;
}

/** A command separator in a batched invocation; never confused with a data argument ";". */
const SEP = Symbol("tmux command separator");
type Arg = string | typeof SEP;


export interface TmuxOptions {
  readonly socket: string;
  readonly configPath: string;
  /** Environment for the tmux client, and so for a server it starts. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly binary?: string;
}

/**
 * The one builder of `-t` targets, always exact: `=name` for session
 * commands (has-session, kill-session), `=name:` for window and option
 * commands, which reject a bare `=name`, and a pane id (`%N`) as it is.
 */
export function exactTarget(name: string, scope: "session" | "window"): string {
  return scope === "session" ? `=${name}` : `=${name}:`;
}

export function paneTarget(paneId: string): string {
  if (!/^%\d+$/.test(paneId)) throw new Error(`not a tmux pane id: ${JSON.stringify(paneId)}`);
  return paneId;
}

/** Escape a trailing `;` so tmux keeps it as part of the argument. */
export function tmuxArg(arg: string): string {
  return arg.endsWith(";") ? `${arg.slice(0, -1)}\\;` : arg;
}

/**
 * Variables tmux replaces in a new pane whatever `-e` says (measured on
 * 3.3a): PATH, with the PATH of the client that asked for the session, and
 * TERM, with `default-terminal`. A roster that sets them gets them back
 * through `env`.
 */
const REPLACED_AT_SPAWN = ["PATH", "TERM"] as const;

/**
 * The pane's argv. `env --` in front guarantees at least two arguments, so
 * tmux execs the agent itself instead of handing a lone argument to `sh -c`;
 * env then sets back what tmux replaced and execs the agent (looking it up
 * on that PATH), which keeps the pane pid. The roster refuses a command
 * containing `=`, which env would take for an assignment.
 */
export function launchArgv(argv: readonly string[], env: Readonly<Record<string, string>> = {}): string[] {
  const restore = REPLACED_AT_SPAWN.filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`);
  return ["env", "--", ...restore, ...argv];
}

export function tmuxSocketPath(socket: string, env: Readonly<Record<string, string | undefined>>, uid: number): string {
  return join(env.TMUX_TMPDIR && env.TMUX_TMPDIR !== "" ? env.TMUX_TMPDIR : "/tmp", `tmux-${uid}`, socket);
}

/** The argv of one new-session invocation: new-session, remain-on-exit, its label. */
function newSessionArgs(launch: SessionLaunch): Arg[] {
  // tmux expands formats in -c: a folder named with `#{` would start the agent elsewhere, so `#` is given as `##`.
  const args: Arg[] = ["new-session", "-d", "-P", "-F", "#{pane_id}", "-s", launch.name, "-x", "200", "-y", "50", "-c", launch.cwd.replaceAll("#", "##")];
  for (const [k, v] of Object.entries(launch.env)) args.push("-e", `${k}=${v}`);
  args.push("--", ...launchArgv(launch.argv, launch.env));
  const target = exactTarget(launch.name, "window");
  args.push(SEP, "set-option", "-w", "-t", target, "remain-on-exit", "on");
  // -F expands #{pane_id} on the server: the new session's only pane, before anything can split it.
  args.push(SEP, "set-option", "-F", "-t", target, SESSION_LABEL, formatSessionLabel(launch.labels, "#{pane_id}"));
  return args;
}

/**
 * The sizes Linux checks when tmux starts a launch's pane (execve): its
 * longest single string, an argument or a `KEY=value` entry (each must be
 * under MAX_ARG_STRLEN, 128 KiB), and all its arguments and entries
 * together. Launches reach tmux on its stdin, so tmux's own cap on a
 * command line (about 16 KiB) does not apply; the kernel's does, and a
 * launch past it starts no pane at all.
 */
export function launchExecBytes(launch: SessionLaunch): { readonly longest: number; readonly total: number } {
  const strings = [...launchArgv(launch.argv, launch.env), ...Object.entries(launch.env).map(([k, v]) => `${k}=${v}`)];
  const sizes = strings.map((s) => Buffer.byteLength(s) + 1);
  return { longest: Math.max(0, ...sizes), total: sizes.reduce((a, b) => a + b, 0) };
}

/**
 * Bytes of a chain's commands, as the client packs them for the server
 * (each argument and its NUL). The client's own flags (-u -L -f) are not
 * sent, so they are not counted.
 */
function commandBytes(args: readonly Arg[]): number {
  return args.reduce((n, a) => n + (a === SEP ? 2 : Buffer.byteLength(tmuxArg(a)) + 1), 0);
}

/**
 * Under the 16,364 bytes a tmux 3.3a client can send as one command (its
 * message cap less the header), with room to spare; a bigger launch goes alone.
 */
const CHAIN_BYTES = 15_000;

/** `items` in runs whose summed `size` stays within `limit` (an item larger than it gets a run of its own). */
function chunkByBytes<T>(items: readonly T[], size: (item: T) => number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && bytes + n > limit) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * One argument in tmux's command syntax, for a chain read from a file:
 * single quotes, inside which tmux expands nothing (no `$`, `~`, escapes
 * or `;`), and each `'` closed, given in double quotes, and reopened;
 * adjacent quoted strings are one argument, as in sh.
 */
export function configQuoted(arg: string): string {
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** Commands run one after another by one tmux invocation. */
function chained(commands: readonly (readonly Arg[])[]): Arg[] {
  return commands.flatMap((c, i): Arg[] => (i === 0 ? [...c] : [SEP, ...c]));
}

export class TmuxClient {
  constructor(private readonly opts: TmuxOptions) {}

  get socket(): string {
    return this.opts.socket;
  }

  /** `tmux -V`, parsed; null when it prints no version. */
  async version(): Promise<{ raw: string; major: number; minor: number } | null> {
    const r = await this.run(["-V"], { bare: true });
    const m = /tmux (?:next-)?(\d+)\.(\d+)/.exec(r.stdout);
    return m ? { raw: r.stdout.trim(), major: Number(m[1]), minor: Number(m[2]) } : null;
  }

  /**
   * Every pane of every session in one call, as rows of PANE_FIELDS.
   * `null` when no server is running on the socket; `[]` when one runs
   * without sessions. Either way: nothing to observe, not an error.
   */
  async listAllPanes(): Promise<string[] | null> {
    // First, in the same call, any label option set for every session at once: tmux hands it to every
    // session that has none of its own (PANE_FORMAT reads labels as tmux resolves them). show-options
    // prints `@name value` with control characters escaped, so such a line is never a row.
    const globals = LABEL_OPTIONS.flatMap((name) => ["-sq", "-gq", "-gwq"].flatMap((scope): Arg[] => ["show-options", scope, name, SEP]));
    const r = await this.run([...globals, "list-panes", "-a", "-F", PANE_FORMAT]);
    if (!r.ok) {
      if (isNoServer(r.stderr) || isUnusableSocket(r.stderr)) return null;
      if (isNoSessions(r.stderr)) return [];
      throw unreadableServer(this.socket, r.stderr);
    }
    return r.stdout === "" ? [] : r.stdout.replace(/\n$/, "").split("\n");
  }

  /**
   * Every pane's pid and liveness by pane id, read again just before a
   * signal so a pid is never taken from an older observation.
   */
  async paneProcesses(): Promise<Map<string, PaneProcess>> {
    const r = await this.run(["list-panes", "-a", "-F", "#{pane_id} #{pane_pid} #{pane_dead}"]);
    const out = new Map<string, PaneProcess>();
    if (!r.ok) {
      if (isNoServer(r.stderr) || isNoSessions(r.stderr)) return out;
      throw unreadableServer(this.socket, r.stderr);
    }
    for (const line of r.stdout.split("\n")) {
      const m = /^(%\d+) (\d+) ([01])$/.exec(line);
      if (m) out.set(m[1]!, { pid: Number(m[2]), dead: m[3] === "1" });
    }
    return out;
  }

  /**
   * Start a detached session and label it, in one invocation. The labels
   * follow new-session in the same command queue; remain-on-exit is set on
   * the session as well as in the config, for a server someone else started.
   * On success `paneId` is the new agent pane's id.
   */
  async newSession(launch: SessionLaunch): Promise<TmuxResult & { paneId: string | null }> {
    const r = await this.runFromStdin(newSessionArgs(launch));
    const m = /^(%\d+)$/m.exec(r.stdout);
    return { ...r, paneId: r.ok && m ? m[1]! : null };
  }

  /**
   * Start many sessions with as few invocations as tmux's command-line cap
   * allows: each new-session, with its labels, chained after the last. Each
   * prints its pane id as it runs, so the ids are the sessions in order.
   * tmux stops a chain at its first failing command: the session it stopped
   * at is started alone, which says why it fails (or starts it, if the
   * cause has gone), and the chain goes on after it.
   */
  async newSessions(launches: readonly SessionLaunch[]): Promise<Map<string, { paneId: string } | { failed: TmuxResult }>> {
    const out = new Map<string, { paneId: string } | { failed: TmuxResult }>();
    let queue = chunkByBytes(launches, (l) => commandBytes(newSessionArgs(l)) + 2, CHAIN_BYTES);
    while (queue.length > 0) {
      const [chunk, ...rest] = queue as [SessionLaunch[], ...SessionLaunch[][]];
      const r = await this.runFromStdin(chained(chunk.map(newSessionArgs)));
      const ids = r.stdout.split("\n").filter((line) => /^%\d+$/.test(line));
      ids.forEach((paneId, i) => out.set(chunk[i]!.name, { paneId }));
      queue = rest;
      const stuck = chunk[ids.length];
      if (r.ok || stuck === undefined) continue; // every session started (a label after the last may have failed)
      const alone = await this.newSession(stuck);
      out.set(stuck.name, alone.ok && alone.paneId ? { paneId: alone.paneId } : { failed: alone });
      const after = chunk.slice(ids.length + 1);
      if (after.length > 0) queue = [after, ...rest];
    }
    return out;
  }

  /** Label a session; `paneId`, when given, is recorded as the agent's pane. */
  async setLabels(name: string, labels: SessionLabels, paneId: string | null): Promise<TmuxResult> {
    const value = formatSessionLabel(labels, paneId === null ? null : paneTarget(paneId));
    return this.run(["set-option", "-t", exactTarget(name, "window"), SESSION_LABEL, value]);
  }

  /**
   * What a pane shows: its last `historyRows` rows of scrollback and its
   * screen, wrapped lines joined (-J). Text only: no colours or attributes.
   * null when the pane is gone.
   */
  async capturePane(paneId: string, historyRows: number): Promise<string | null> {
    const r = await this.run(["capture-pane", "-p", "-J", "-t", paneTarget(paneId), "-S", `-${Math.max(0, Math.floor(historyRows))}`]);
    return r.ok ? r.stdout : null;
  }

  /**
   * A pane's liveness, copy mode and session, read just before a message
   * is typed into it; null when there is no such pane. display-message
   * succeeds with empty fields for a pane that does not exist, so the id
   * it prints is what says the pane is there. The session name is tmux's
   * (control characters escaped by tmux itself).
   */
  async paneState(paneId: string): Promise<{ readonly dead: boolean; readonly deadStatus: number | null; readonly deadSignal: number | null; readonly inMode: boolean; readonly tty: string | null; readonly session: string } | null> {
    const r = await this.run(["display-message", "-p", "-t", paneTarget(paneId), "#{pane_id}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_dead_signal}\t#{pane_in_mode}\t#{pane_tty}\t#{session_name}"]);
    const [id, dead, status, signal, inMode, tty, ...session] = r.stdout.replace(/\n$/, "").split("\t");
    if (!r.ok || id !== paneId) return null;
    const number = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);
    return { dead: dead === "1", deadStatus: number(status), deadSignal: number(signal), inMode: inMode === "1", tty: tty !== undefined && /^\/dev\/pts\/\d+$/.test(tty) ? tty : null, session: session.join("\t") };
  }

  /** What a pane shows on its screen now, as text (no scrollback): what a message's arrival is checked against. */
  async captureScreen(paneId: string): Promise<string | null> {
    const r = await this.run(["capture-pane", "-p", "-t", paneTarget(paneId)]);
    return r.ok ? r.stdout : null;
  }

  /** Leave copy mode, so typed text reaches the program rather than the mode. */
  async leaveCopyMode(paneId: string): Promise<void> {
    await this.run(["copy-mode", "-q", "-t", paneTarget(paneId)]);
  }

  /**
   * Type `text` into a pane literally, once: it goes on standard input
   * into a buffer of its own name (never onto a command line, which tmux
   * caps near 16 KiB, nor through send-keys, which reads words like
   * `Enter` as keys), pasted once and deleted (-d). -p adds bracketed-paste
   * codes only if the program asked for them; -r keeps a newline a newline.
   * A buffer loaded but not pasted is deleted.
   */
  async pasteText(paneId: string, bufferName: string, text: string): Promise<TmuxResult> {
    const loaded = await this.run(["load-buffer", "-b", bufferName, "-"], { input: text });
    if (!loaded.ok) return loaded;
    const pasted = await this.run(["paste-buffer", "-p", "-r", "-d", "-b", bufferName, "-t", paneTarget(paneId)]);
    if (!pasted.ok) await this.run(["delete-buffer", "-b", bufferName]);
    return pasted;
  }

  /** Press one key, by tmux's key name (validated by the caller as a name, never text). */
  async pressKey(paneId: string, key: string): Promise<TmuxResult> {
    return this.run(["send-keys", "-t", paneTarget(paneId), key]);
  }

  /** `has-session -t =NAME`: exactly that session, never one whose name starts with it. */
  async hasSession(name: string): Promise<boolean> {
    return (await this.run(["has-session", "-t", exactTarget(name, "session")])).ok;
  }

  /** Stop the socket's server: only for a scratch server of mosaic's own (the release preflight's). */
  async killServer(): Promise<void> {
    await this.run(["kill-server"]);
  }

  /**
   * The pid of the socket's server, from the server itself; null when none
   * answers (or it has no session left, and so is exiting). For waiting
   * until a scratch server stopped with killServer() has really ended.
   */
  async serverPid(): Promise<number | null> {
    const r = await this.run(["display-message", "-p", "#{pid}"]);
    const pid = Number(r.stdout.trim());
    return r.ok && Number.isInteger(pid) && pid > 1 ? pid : null;
  }

  async killSession(name: string): Promise<TmuxResult> {
    return this.run(["kill-session", "-t", exactTarget(name, "session")]);
  }

  /**
   * Remove many sessions in as few invocations as tmux's command-line cap
   * allows. tmux stops a chain at its first failing command, so a chain
   * that fails (a session went away meanwhile) is done again one session
   * at a time; a session that is gone is not an error. Returns tmux's error
   * for each session it could not remove.
   */
  async killSessions(names: readonly string[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    for (const chunk of chunkByBytes(names, (n) => commandBytes(["kill-session", "-t", exactTarget(n, "session")]) + 2, CHAIN_BYTES)) {
      if ((await this.run(chained(chunk.map((n) => ["kill-session", "-t", exactTarget(n, "session")])))).ok) continue;
      for (const n of chunk) {
        const r = await this.killSession(n);
        if (!r.ok && !isMissingSession(r.stderr)) failed.set(n, r.stderr.trim() || `tmux exited with ${r.exitCode}`);
      }
    }
    return failed;
  }

  /**
   * A launch file of format 1 (identity/launch-file.ts): new-session's
   * arguments as an older mosaic recorded them for tmux, separators and
   * escapes included, run as they are. Only ever read from a launch file
   * mosaic wrote (0600, the user's own).
   */
  async runRecordedLaunch(args: readonly string[]): Promise<TmuxResult> {
    // Its `;` are separators and a trailing `\;` an escaped `;` (tmuxArg), as tmux's argv reads them.
    return this.runFromStdin(args.map((a): Arg => (a === ";" ? SEP : a.endsWith("\\;") ? `${a.slice(0, -2)};` : a)));
  }

  /** The key that starts tmux's commands on the fleet's server (`C-b` unless its config says otherwise); null without a server. */
  async prefixKey(): Promise<string | null> {
    const r = await this.run(["show-options", "-gv", "prefix"]);
    return r.ok && r.stdout.trim() !== "" ? r.stdout.trim() : null;
  }

  /**
   * Attach this terminal to a session (`attach-session -t =NAME`, `-r`
   * read-only) until the user detaches or the session ends: tmux gets the
   * terminal itself (stdio inherited), in mosaic's process group, so the
   * terminal's signals reach it as they would reach tmux run by hand.
   * TMUX is unset, so it works from inside another tmux. Its exit status.
   */
  async attach(session: string, opts: { readOnly: boolean }): Promise<number> {
    const env = { ...this.opts.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const argv = ["-u", "-L", this.opts.socket, "-f", this.opts.configPath, "attach-session", ...(opts.readOnly ? ["-r"] : []), "-t", tmuxArg(exactTarget(session, "session"))];
    return new Promise((resolve) => {
      const child = spawn(this.opts.binary ?? "tmux", argv, { env: env as NodeJS.ProcessEnv, stdio: "inherit" });
      child.once("error", () => resolve(1));
      child.once("close", (code) => resolve(code ?? 1));
    });
  }

  /**
   * Run a command chain given on tmux's stdin (`source-file -`), not on its
   * argv: every local user can read a process's argv in /proc, and a
   * launch carries the roster's env values, API keys among them. The chain
   * is one line, so tmux stops at its first failing command as it does for
   * the same chain on argv. `start-server` first: source-file alone needs
   * a server, and new-session starts one.
   */
  private async runFromStdin(args: readonly Arg[]): Promise<TmuxResult> {
    const line = args.map((a) => (a === SEP ? ";" : configQuoted(a))).join(" ");
    return this.run(["start-server", SEP, "source-file", "-"], { input: `${line}\n` });
  }

  private async run(args: readonly Arg[], opts: { bare?: boolean; input?: string } = {}): Promise<TmuxResult> {
    const base = opts.bare ? [] : ["-u", "-L", this.opts.socket, "-f", this.opts.configPath];
    // Separators are tmux syntax; every other element is data and gets escaped.
    return this.exec([...base, ...args.map((a) => (a === SEP ? ";" : tmuxArg(a)))], opts.input);
  }

  private async exec(argv: readonly string[], input?: string): Promise<TmuxResult> {
    const env = { ...this.opts.env };
    delete env.TMUX; // a client inside tmux must not be steered to the enclosing server
    delete env.TMUX_PANE;
    const binary = this.opts.binary ?? "tmux";
    // A process group of its own: Ctrl+C, a TERM or a hangup sent to mosaic's group must not end a
    // tmux call halfway (a session made but reported failed); mosaic decides what a signal stops.
    const r = await runFile(binary, argv, { env, ...(input === undefined ? {} : { input }), detached: true });
    if (r.startError === "ENOENT") {
      throw new UserError(`${binary} not found on PATH`, [`mosaic needs tmux >= ${MIN_TMUX.major}.${MIN_TMUX.minor}; on Debian: apt-get install tmux`]);
    }
    return { ok: r.exitCode === 0, exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.startError !== null ? `could not run ${binary}: ${r.startError}` : r.stderr };
  }
}

/**
 * tmux's ways of saying there is no server on the socket (or it exited as
 * we asked): none runs, its socket file is gone, or nothing listens on it.
 * Any other failure to connect (EAGAIN, EACCES, EMFILE, ...) says nothing
 * about the fleet: taken for "no server", it would plan every agent
 * missing and the holder restarted, which ends them all.
 */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting to .*\((No such file or directory|Connection refused)\)|server exited unexpectedly|lost server/.test(stderr);
}

/**
 * A failure to read the fleet's server that is not "no server": an error
 * that stops the command before it changes anything. One to connect (the
 * host's limits, permissions) is the user's to look into; anything else
 * tmux says is unexpected, and shows its trace under --debug.
 */
function unreadableServer(socket: string, stderr: string): Error {
  if (!/error connecting to/.test(stderr)) return new Error(`tmux list-panes failed on socket ${socket}: ${stderr.trim()}`);
  return new UserError(`could not read the fleet's tmux server on socket "${socket}": ${stderr.trim() || "tmux failed"}; nothing was changed`, ["Run the command again; if it keeps failing, look at the server with: tmux -L " + socket + " list-sessions"]);
}

/** tmux refuses the socket's folder or path; the plan reports why from its own checks. */
function isUnusableSocket(stderr: string): boolean {
  return /unsafe permissions|File name too long/.test(stderr);
}

/** A server with no sessions left: `list-panes -a` has nothing to start from. */
function isNoSessions(stderr: string): boolean {
  return /no current target|no sessions/.test(stderr);
}

export function isDuplicateSession(stderr: string): boolean {
  return /duplicate session/.test(stderr);
}

export function isMissingSession(stderr: string): boolean {
  return /can't find session|no such session|session not found/.test(stderr) || isNoServer(stderr);
}
