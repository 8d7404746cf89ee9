import { MIN_TMUX } from "../identity/requirements.js";
import { formatMode } from "../text/mode.js";
import { quoteForDisplay } from "../text/quote.js";
import { safeJsonString } from "../text/safe-text.js";
import type { HostFacts } from "../observe/host-types.js";
import type { PlanDiagnostic, ResourceChange, SessionChange } from "./types.js";

/** sun_path holds 108 bytes with its NUL; tmux refuses a longer path ("File name too long"). */
export const MAX_SOCKET_PATH_BYTES = 107;
/** Linux's MAX_ARG_STRLEN: one argument or environment entry, its NUL included, must be shorter. */
export const MAX_EXEC_STRING_BYTES = 131_072;
/**
 * A launch's own arguments and environment together. Linux passes about
 * 2 MiB to a program (a quarter of an 8 MiB stack), and the pane also
 * inherits the tmux server's environment: half is left for that.
 */
export const MAX_EXEC_TOTAL_BYTES = 1_048_576;

/**
 * What apply would fail on and can be known by looking: errors that stop
 * the plan before any prompt. Pure: the facts were gathered in observe.
 * Only changes that launch something are checked; a running agent whose
 * folder vanished is not stopped by a plan error.
 */
export function launchChecks(changes: readonly ResourceChange[], host: HostFacts): PlanDiagnostic[] {
  const launches = changes.filter((c): c is Extract<SessionChange, { action: "create" | "replace" }> => c.type === "tmux.session" && (c.action === "create" || c.action === "replace") && !c.held);
  const out: PlanDiagnostic[] = [];
  const error = (code: PlanDiagnostic["code"], message: string, address?: string) => out.push({ severity: "error", code, message, ...(address ? { address } : {}) });

  if (host.socketPathBytes > MAX_SOCKET_PATH_BYTES) {
    error("socket-path-too-long", `the tmux socket path ${quoteForDisplay(host.socketPath)} is ${host.socketPathBytes} bytes; a Unix socket path holds at most ${MAX_SOCKET_PATH_BYTES}. Use a shorter TMUX_TMPDIR or socket name.`);
  }
  const unsafe = socketDirProblem(host.socketDir, host.uid);
  if (unsafe !== null) error("socket-dir-unsafe", unsafe);
  if (host.socketFileLost) error("socket-file-lost", `${lostSocketProblem(host.socketPath)}. Then plan again.`);
  if (launches.length === 0) return out;

  const v = host.tmuxVersion;
  if (v && (v.major < MIN_TMUX.major || (v.major === MIN_TMUX.major && v.minor < MIN_TMUX.minor))) {
    error("tmux-too-old", `${v.raw} is too old: mosaic needs tmux >= ${MIN_TMUX.major}.${MIN_TMUX.minor} (for new-session -e)`);
  }
  for (const c of launches) {
    const facts = host.launches[c.name];
    const after = c.after;
    if (!facts) continue;
    if (facts.cwd === "missing") error("cwd-missing", `${c.name}: working directory ${quoteForDisplay(after.cwd)} does not exist`, c.address);
    else if (facts.cwd === "unreachable") error("cwd-missing", `${c.name}: working directory ${quoteForDisplay(after.cwd)} cannot be reached (a symbolic link loop, a file on the way, or a folder you may not search)`, c.address);
    else if (facts.cwd !== "directory") error("cwd-not-directory", `${c.name}: working directory ${quoteForDisplay(after.cwd)} is not a directory`, c.address);
    if (facts.commandPath === null) {
      const command = after.argv[0] ?? "";
      const where = command.includes("/") ? "does not exist or is not an executable file" : `is not found on the PATH the agent gets (${quoteForDisplay(after.env.PATH ?? host.agentPath)})`;
      error("command-not-found", `${c.name}: command ${safeJsonString(command)} ${where}`, c.address);
    }
    if (facts.execBytes.longest >= MAX_EXEC_STRING_BYTES) {
      error("command-too-long", `${c.name}: one of its arguments or environment values is ${facts.execBytes.longest - 1} bytes; Linux passes at most ${MAX_EXEC_STRING_BYTES - 1} in one. Pass it in a file the agent reads.`, c.address);
    } else if (facts.execBytes.total > MAX_EXEC_TOTAL_BYTES) {
      error("command-too-long", `${c.name}: its arguments and environment are ${facts.execBytes.total} bytes together; mosaic allows ${MAX_EXEC_TOTAL_BYTES} (Linux passes about twice that, inherited environment included). Shorten them, or pass them in a file.`, c.address);
    }
  }
  return out;
}

/** Why tmux refuses the socket's folder (another owner, or others can reach it), or null when it does not. */
export function socketDirProblem(dir: HostFacts["socketDir"], uid: number): string | null {
  if (!dir || (dir.ownerUid === uid && (dir.mode & 0o007) === 0)) return null;
  if (dir.ownerUid !== uid) {
    // chmod cannot give a folder back: another user's folder where yours should be is theirs to remove, or yours to avoid.
    return `the tmux socket folder ${quoteForDisplay(dir.path)} is owned by uid ${dir.ownerUid}, not you (uid ${uid}); tmux refuses to use it, and only its owner (or root) can remove it. Use a folder of your own meanwhile: TMUX_TMPDIR=$HOME/.cache/tmux (made with mode 700)`;
  }
  return `the tmux socket folder ${quoteForDisplay(dir.path)} has mode ${formatMode(dir.mode & 0o777)}: other users can reach it; tmux refuses to use it. Fix it with: chmod 700 ${quoteForDisplay(dir.path)}`;
}

/** A tmux server listens on the socket's path, but the file is gone: what that means, and how to recover (one sentence, no full stop, for callers to end). */
export function lostSocketProblem(socketPath: string): string {
  return `a tmux server still listens for ${quoteForDisplay(socketPath)}, but its socket file is gone (a /tmp cleaner?), so mosaic can neither see nor stop the fleet it runs, and starting the fleet would run a second copy of every agent beside the first. Make that server recreate its socket: find it with \`ss -xlp | grep ${socketPath}\`, then \`kill -USR1 PID\``;
}
