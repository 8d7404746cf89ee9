/**
 * One apply at a time per target (a fleet's tmux socket, or the product
 * files installed under one HOME), and one message typed at a time into
 * each agent's session.
 *
 * A lock is flock(2) on a file only its user can open: 0600, in a folder
 * of theirs that no one else may write (the fleet's tmux socket folder,
 * which tmux keeps 0700). Another local user can
 * neither open it nor replace it, so cannot take it; the kernel frees it the
 * moment its holder exits, however it exits, so a crashed apply never
 * wedges the next. Node has no flock(), so util-linux's flock(1) holds it:
 * `flock FILE tee FILE.holder`, fed who holds it on its stdin, which tee
 * writes beside the lock once the lock is taken (its echo tells mosaic so)
 * and keeps open until mosaic closes that pipe or exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, existsSync, fchmodSync, fstatSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { privateFolder } from "./private-file.js";

export interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

export type LockOutcome = HeldLock | { readonly busy: LockHolder | null } | { readonly interrupted: true };

interface AcquireOptions {
  readonly timeoutMs: number;
  readonly onWait: (holder: LockHolder | null) => void;
  readonly interrupted?: () => boolean;
}

/** util-linux's flock(1), where every Linux has it, whatever the caller's PATH (a unit's, a test's): else looked up on PATH. */
const FLOCK = ["/usr/bin/flock", "/bin/flock"].find((p) => existsSync(p)) ?? "flock";
const TEE = ["/usr/bin/tee", "/bin/tee"].find((p) => existsSync(p)) ?? "tee";

/** flock(1)'s exit status when the lock is held by another (-E). */
const BUSY = 75;

/** The apply lock of a fleet: beside its tmux socket, in the folder tmux keeps private. */
export function fleetApplyLockFile(tmuxSocketPath: string): string {
  return `${tmuxSocketPath}.mosaic-apply.lock`;
}

/** The send lock of one agent's session, beside the fleet's tmux socket. */
export function sendLockFile(tmuxSocketPath: string, session: string): string {
  return `${tmuxSocketPath}.mosaic-send-${session}.lock`;
}

/**
 * The install lock of the product files: in the user's private tmux folder
 * (beside the fleets' locks), never among the files it guards or in a
 * folder the README's cleanup removes, so an install refused before it
 * writes anything, or run after the cleanup, leaves no trace there.
 * `anySocketPath` is any socket's path in that folder.
 */
export function installLockFile(anySocketPath: string): string {
  return join(dirname(anySocketPath), "mosaic-install.lock");
}

/**
 * Take the lock at `file`, waiting up to `timeoutMs` for a holder to
 * finish. `onWait` is told once who holds it, so the user knows why we
 * pause; `interrupted` (Ctrl+C) ends the wait at once.
 */
export async function acquireLock(file: string, me: LockHolder, opts: AcquireOptions): Promise<LockOutcome> {
  preparePrivateFile(file);
  preparePrivateFile(holderFile(file));
  const first = await tryFlock(file, me, ["-n"]);
  if (first !== null && first !== "interrupted") return first;
  const holder = readHolder(file);
  if (opts.timeoutMs <= 0) return { busy: holder };
  opts.onWait(holder);
  if (opts.interrupted?.()) return { interrupted: true };
  const waited = await tryFlock(file, me, ["-w", String(opts.timeoutMs / 1000)], opts.interrupted);
  if (waited === "interrupted") return { interrupted: true };
  return waited ?? { busy: readHolder(file) };
}

const holderFile = (file: string) => `${file}.holder`;

function readHolder(file: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(holderFile(file), "utf8")) as Partial<LockHolder>;
    return typeof h.pid === "number" && typeof h.command === "string" && typeof h.since === "string" ? { pid: h.pid, command: h.command, since: h.since } : null;
  } catch {
    return null;
  }
}

/**
 * Run flock(1) on `file` with `mode` (-n, or -w SECONDS): the held lock,
 * null when another holds it, "interrupted" when asked to stop waiting.
 */
function tryFlock(file: string, me: LockHolder, mode: string[], interrupted?: () => boolean): Promise<HeldLock | null | "interrupted"> {
  return new Promise((resolve, reject) => {
    // A process group of its own: a Ctrl+C to mosaic's group must not free the lock while mosaic finishes its step.
    const child = spawn(FLOCK, [...mode, "-E", String(BUSY), file, TEE, holderFile(file)], { stdio: ["pipe", "pipe", "pipe"], detached: true });
    let said = "";
    let settled = false;
    const poll = interrupted ? setInterval(() => interrupted() && finish("interrupted"), 100) : undefined;
    const finish = (r: HeldLock | null | "interrupted" | Error) => {
      if (settled) return;
      settled = true;
      if (poll) clearInterval(poll);
      if (r === "interrupted" || r instanceof Error) {
        // tee, once started, holds the lock as flock does (flock(1) passes its descriptor on): end both.
        child.stdin.end();
        child.kill("SIGKILL");
      }
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    child.stdin.on("error", () => {}); // flock that found the lock busy never reads what it was given
    child.stderr.on("data", (d: Buffer) => (said += d.toString()));
    child.stdout.on("data", () => finish(held(child)));
    child.on("error", (err: NodeJS.ErrnoException) =>
      finish(err.code === "ENOENT" ? new UserError("flock not found on PATH", ["mosaic takes its locks with util-linux's flock; on Debian: apt-get install util-linux"]) : err),
    );
    child.on("exit", (code) => finish(code === BUSY ? null : new Error(`flock ${file} failed (${code ?? "signal"}): ${said.trim()}`)));
    child.stdin.write(`${JSON.stringify(me)}\n`);
  });
}

function held(child: ChildProcess): HeldLock {
  // The lock must never keep mosaic alive by itself; at exit the pipe closes and tee, then flock, end.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    release: async () => {
      // Waits for flock to end (the lock is free then), but never long, and never keeps mosaic alive after.
      let timer: NodeJS.Timeout | undefined;
      const ended = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2000);
        timer.unref();
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once("exit", () => resolve());
      });
      child.ref(); // the wait for its exit must hold the event loop open; the timer alone, unref'd, does not
      child.stdin?.end();
      await ended;
      clearTimeout(timer);
      child.unref();
    },
  };
}

/**
 * Make `file` a regular file of this user that only they may open (0600),
 * in a folder no one else may write; refuse a path another user could
 * have prepared. The fleet's tmux folder is made as tmux makes it (0700)
 * when no server has made it yet.
 */
function preparePrivateFile(file: string): void {
  const uid = process.getuid?.() ?? 0;
  privateFolder(dirname(file), "mosaic's lock there could be taken by another user");
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
  } catch (err) {
    throw new UserError(`cannot open mosaic's lock ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const f = fstatSync(fd);
    if (!f.isFile() || f.uid !== uid) throw new UserError(`${file} is not a file of yours; mosaic's lock could be taken there; nothing was changed`, [`Remove it if you did not make it: rm ${file}`]);
    if ((f.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}
