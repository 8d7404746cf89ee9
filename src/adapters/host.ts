/**
 * Read-only lookups on the host that the pre-launch checks need: where a
 * command resolves, and who owns a folder. Nothing here changes anything.
 */
import { constants, promises as fsp } from "node:fs";
import { UserError } from "../errors.js";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Where `command` resolves as `env` (execvp) would resolve it: a name with
 * a `/` as it is, else the first executable regular file of that name in
 * `pathVar`. Empty PATH entries (the current folder) are skipped: the
 * agent's folder is not where a fleet should find its programs.
 */
export async function findExecutable(command: string, pathVar: string): Promise<string | null> {
  if (command.includes("/")) return (await isExecutableFile(command)) ? command : null;
  for (const dir of pathVar.split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const st = await fsp.stat(path);
    if (!st.isFile()) return false;
    await fsp.access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A folder's owner and mode, or null when it does not exist. */
export async function folderOwnership(path: string): Promise<{ ownerUid: number; mode: number } | null> {
  try {
    const st = await fsp.stat(path);
    return { ownerUid: st.uid, mode: st.mode & 0o7777 };
  } catch {
    return null;
  }
}

/**
 * TMUX_TMPDIR as tmux will use it: tmux takes it only when it is an
 * absolute path to an existing folder (through its realpath), and otherwise
 * silently falls back to /tmp, which would put the fleet's socket, and its
 * apply lock, somewhere other than the user asked. Refused instead.
 * Returns the realpath, or undefined when TMUX_TMPDIR is unset or empty.
 */
export async function resolveTmuxTmpdir(value: string | undefined): Promise<string | undefined> {
  if (value === undefined || value === "") return undefined;
  const refuse = (why: string) =>
    new UserError(`TMUX_TMPDIR=${JSON.stringify(value)} ${why}; tmux would silently put the fleet's socket under /tmp instead`, [
      "Create that folder (mode 700), point TMUX_TMPDIR at one that exists, or unset it.",
    ]);
  if (!isAbsolute(value)) throw refuse("is not an absolute path");
  try {
    const real = await fsp.realpath(value);
    if (!(await fsp.stat(real)).isDirectory()) throw refuse("is not a folder");
    return real;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw refuse("is not an existing folder");
  }
}

/** A listening socket's flag in /proc/net/unix (__SO_ACCEPTCON). */
const LISTENING = 0x10000;

/**
 * Whether a process still listens on the Unix socket `path` while no file
 * is there any more: a tmux server whose socket file a /tmp cleaner (or a
 * hand) removed. The kernel lists a socket by the path it was bound to,
 * deleted or not. One read of /proc/net/unix; false where there is none.
 */
export async function listeningWithoutFile(path: string): Promise<boolean> {
  let table: string;
  try {
    table = await fsp.readFile("/proc/net/unix", "utf8");
  } catch {
    return false;
  }
  const bound = table.split("\n").some((row) => {
    const fields = row.trim().split(/\s+/);
    return fields.length >= 8 && fields.slice(7).join(" ") === path && (parseInt(fields[3]!, 16) & LISTENING) !== 0;
  });
  if (!bound) return false;
  try {
    await fsp.lstat(path);
    return false;
  } catch {
    return true;
  }
}
