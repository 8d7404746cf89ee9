import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors.js";

/**
 * `dir` as a folder of this user's that no one else may write (made 0700
 * when missing, unless `create` is false): else a UserError saying what
 * another user could do with it (`risk`). Where mosaic keeps what must
 * stay its user's: its locks, its plan key, its record of applied plans.
 */
export function privateFolder(dir: string, risk: string, opts: { create: boolean } = { create: true }): void {
  if (opts.create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new UserError(`cannot make ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== (process.getuid?.() ?? 0) || (st.mode & 0o022) !== 0) {
    throw new UserError(`${dir} is not a folder of yours that only you may write, so ${risk}; nothing was changed`, [`Check it with: ls -ld ${dir}`]);
  }
}

export type PrivateFileRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/**
 * A file that holds secrets (an env_file), read only if it is a regular
 * file of this user that no one else may read or write: a file others can
 * read has leaked already, and one they can write decides what an agent
 * runs with. Synchronous, for the roster's parser; opened non-blocking, so
 * a FIFO or a device is refused instead of waited on.
 */
export function readPrivateFileSync(path: string, maxBytes: number): PrivateFileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return { ok: false, problem: openProblem((err as NodeJS.ErrnoException).code) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, problem: st.isDirectory() ? "is a directory" : "is not a regular file" };
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return { ok: false, problem: `belongs to another user (uid ${st.uid}); it must be your own` };
    // The folder too: one others may write lets them delete the file, or put a link to another file of yours in its place.
    const folder = openFolderProblem(path, uid);
    if (folder !== null) return { ok: false, problem: folder };
    if ((st.mode & 0o077) !== 0) return { ok: false, problem: `others may read or write it (mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}); make it yours alone with: chmod 600 ${path}` };
    if (st.size > maxBytes) return { ok: false, problem: `is larger than ${maxBytes} bytes` };
    const buf = Buffer.alloc(st.size + 1);
    // One byte more than it said: a file that grew since is still caught by the limit.
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > maxBytes) return { ok: false, problem: `is larger than ${maxBytes} bytes` };
    return { ok: true, text: buf.subarray(0, n).toString("utf8") };
  } finally {
    closeSync(fd);
  }
}

function openProblem(code: string | undefined): string {
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
      return "permission denied";
    case "ENOTDIR":
      return "a folder on its path is not a folder";
    case "ELOOP":
      return "a symbolic link on its path loops";
    default:
      return `could not be opened (${code ?? "unknown error"})`;
  }
}

/**
 * Why the folders holding `path` (as named, and where its links lead) let
 * another user change what it names, or null: a folder others may write,
 * unless it is sticky (as /tmp is: there no one removes another's file).
 */
function openFolderProblem(path: string, uid: number | undefined): string | null {
  const folders = new Set([dirname(path)]);
  try {
    folders.add(dirname(realpathSync(path)));
  } catch {
    // gone since it was opened: the read says so
  }
  for (const folder of folders) {
    try {
      const st = lstatSync(folder);
      const othersWrite = (st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0;
      if (othersWrite || (uid !== undefined && st.uid !== uid && st.uid !== 0)) {
        return `is in ${folder}, a folder ${othersWrite ? "others may write" : `of another user (uid ${st.uid})`}, so they could remove it or put another file in its place; keep it in a folder of yours`;
      }
    } catch {
      return `its folder ${folder} cannot be read`;
    }
  }
  return null;
}
