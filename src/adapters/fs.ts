/**
 * Every file read and write the product makes goes through here, so the
 * atomic-write and never-overwrite rules live in one place.
 */
import { constants, promises as fsp, type Stats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, dirname, join, parse, resolve, sep } from "node:path";

export type FileKind = "file" | "directory" | "other" | "missing";

export async function fileKind(path: string): Promise<FileKind> {
  try {
    return kindOf(await fsp.stat(path));
  } catch (err) {
    if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return "missing";
    throw err;
  }
}

function kindOf(st: Stats): FileKind {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "directory";
  return "other";
}

/** Why a path cannot be followed to a file or to its absence; `at` is the path, or the folder on its way, at fault. */
export type Unreachable =
  | { readonly kind: "loop"; readonly at: string }
  | { readonly kind: "not-a-folder"; readonly at: string }
  | { readonly kind: "denied"; readonly at?: string }
  | { readonly kind: "too-long" };

export type PathStatus = { readonly kind: FileKind } | Unreachable;

export function isUnreachable(status: PathStatus): status is Unreachable {
  return status.kind === "loop" || status.kind === "not-a-folder" || status.kind === "denied" || status.kind === "too-long";
}

/**
 * Like fileKind, for a path the user named: what stops it being followed
 * comes back as a value saying where, not as an errno that would reach the
 * user as "unexpected". Each folder on the way is looked at only once the
 * direct look-up has failed, to find the one at fault.
 */
export async function pathStatus(path: string): Promise<PathStatus> {
  try {
    return { kind: kindOf(await fsp.stat(path)) };
  } catch (err) {
    if (isErrno(err, "ENOENT")) return { kind: "missing" };
    if (isErrno(err, "ENAMETOOLONG")) return { kind: "too-long" };
    if (!isErrno(err, "ELOOP") && !isErrno(err, "ENOTDIR") && !isErrno(err, "EACCES")) throw err;
    const found = await findBlocker(resolve(path));
    if (found) return found;
    // Only if the folders changed meanwhile: then the path itself is blamed.
    if (isErrno(err, "ELOOP")) return { kind: "loop", at: path };
    return isErrno(err, "EACCES") ? { kind: "denied" } : { kind: "missing" };
  }
}

async function findBlocker(path: string): Promise<PathStatus | undefined> {
  const names = path.split(sep).filter((n) => n !== "");
  let at = parse(path).root;
  for (const [i, name] of names.entries()) {
    at = join(at, name);
    let st: Stats;
    try {
      st = await fsp.stat(at);
    } catch (err) {
      if (isErrno(err, "ELOOP")) return { kind: "loop", at };
      // The folder holding `at` cannot be searched, unless `at` is a link into somewhere that cannot.
      if (isErrno(err, "EACCES")) {
        const isLink = await fsp.lstat(at).then(() => true, () => false);
        return isLink ? { kind: "denied" } : { kind: "denied", at: dirname(at) };
      }
      if (isErrno(err, "ENAMETOOLONG")) return { kind: "too-long" };
      // A link to nowhere: missing, as fileKind says.
      if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return { kind: "missing" };
      throw err;
    }
    if (i < names.length - 1 && !st.isDirectory()) return { kind: "not-a-folder", at };
  }
  return undefined;
}

/**
 * Read a file, refusing one larger than `maxBytes` before reading it whole,
 * so a roster path pointed at something huge fails fast. Reading stops
 * after `maxBytes` whatever the size says: a device (`/dev/zero`) or a pipe
 * reports none.
 */
export async function readFileBytes(path: string, maxBytes: number): Promise<Buffer> {
  // Non-blocking: opening a FIFO with no writer would wait forever; it is refused below instead.
  const handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  const tooBig = (size: number) => Object.assign(new Error(`EFBIG: ${path}`), { code: "EFBIG", size });
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" });
    // A FIFO, a socket or a device (/dev/null reads as empty, /dev/urandom never ends) is no file of text.
    if (!st.isFile()) throw Object.assign(new Error(`ENOTREG: ${path}`), { code: "ENOTREG" });
    if (st.size > maxBytes) throw tooBig(st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooBig(total);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` bytes of a regular file (fewer if it is shorter). */
export async function readFileHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await fsp.open(path, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  return (await readFileBytes(path, maxBytes)).toString("utf8");
}

export async function readTextFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw err;
  }
}

/**
 * Write `data` so that a reader sees either the old file or the new one,
 * never a torn one: temp file in the same folder, fsync, rename, fsync the
 * folder. Creates missing parent folders, 0700 for a file only its owner
 * may read (state, launch files, plans). With a `mode`, the file ends
 * with exactly that mode whatever the umask: for product files, whose mode
 * is part of what mosaic installs (a tool must stay 0755, and a plan that
 * compares modes must converge). Without one, a new file gets 0644 less
 * the umask, as any file the user creates would (the site roster).
 */
export async function writeFileAtomic(path: string, data: string, mode?: number): Promise<void> {
  // A private file's missing folders are made private too (0700): the state, launch files and plans.
  const privateFile = mode !== undefined && (mode & 0o077) === 0;
  await fsp.mkdir(dirname(path), { recursive: true, mode: privateFile ? 0o700 : 0o777 });
  // Created private when the mode is set afterwards, so it is never readable more widely than asked.
  await writeAtomic(path, data, mode === undefined ? 0o644 : 0o600, mode);
}

/**
 * Replace the contents of the existing regular file at `path` the same
 * atomic way, keeping its permission bits exactly: the temp file is chmodded
 * before the rename, since the umask would otherwise decide them. Give it a
 * real path, not a symbolic link: the rename replaces whatever `path` names.
 */
export async function replaceFileAtomic(path: string, data: string): Promise<void> {
  const mode = (await fsp.stat(path)).mode & 0o7777;
  // Created private, so the new contents are never readable more widely than the old.
  await writeAtomic(path, data, 0o600, mode);
}

/** A temporary file writeAtomic makes beside its target: `.NAME.tmp-PID-HEX`. */
const TEMP_FILE = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/;
const swept = new Set<string>();

/**
 * Remove what a writer killed between its write and its rename (SIGKILL, a
 * power cut) left in `dir`: temporary files of ours whose process is gone.
 * Once per folder per run, so a fleet's worth of writes costs one listing.
 * Best effort: a file that cannot be removed stays, as harmless as before.
 */
async function sweepStaleTemps(dir: string): Promise<void> {
  if (swept.has(dir)) return;
  swept.add(dir);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (m === null || processAlive(Number(m[1]))) continue;
    await fsp.rm(join(dir, name), { force: true }).catch(() => {});
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !isErrno(err, "ESRCH");
  }
}

async function writeAtomic(path: string, data: string, createMode: number, exactMode: number | undefined): Promise<void> {
  const dir = dirname(path);
  await sweepStaleTemps(dir);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const handle = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, createMode);
  try {
    await handle.writeFile(data, "utf8");
    if (exactMode !== undefined) await handle.chmod(exactMode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

/** Where a write to a path lands: the path itself, or what its symbolic link finally names. */
export type WriteTarget =
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "dangling"; readonly target: string }
  | { readonly kind: "loop" };

/**
 * A rename onto a symbolic link replaces the link, not the file it names,
 * so a writer that means to change the file must rename onto its real path.
 * A link to nothing is reported, not followed into creating a file.
 */
export async function resolveWriteTarget(path: string): Promise<WriteTarget> {
  try {
    if (!(await fsp.lstat(path)).isSymbolicLink()) return { kind: "path", path };
  } catch (err) {
    if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return { kind: "path", path };
    throw err;
  }
  try {
    return { kind: "path", path: await fsp.realpath(path) };
  } catch (err) {
    if (isErrno(err, "ELOOP")) return { kind: "loop" };
    if (!isErrno(err, "ENOENT") && !isErrno(err, "ENOTDIR")) throw err;
    return { kind: "dangling", target: resolve(dirname(path), await fsp.readlink(path)) };
  }
}

/**
 * Copy `path` (a link's target, if it is one) to `backupPath`, with its
 * mode (kept exactly: the copy is fchmodded, the umask plays no part),
 * failing with EEXIST rather than replacing an existing backup. Synced to
 * disk before it returns, since the caller is about to replace the
 * original and a crash must not leave neither.
 */
export async function copyToBackup(path: string, backupPath: string): Promise<void> {
  await fsp.copyFile(path, backupPath, constants.COPYFILE_EXCL);
  const handle = await fsp.open(backupPath, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(backupPath));
}

/**
 * Where a backup of `path` made at `now` goes: beside it, named
 * `<path>.mosaic-backup-20261124T235900Z` (UTC, to the second), so a
 * listing sorts backups by age and says who made them.
 */
export function backupPath(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${path}.mosaic-backup-${stamp}`;
}

/**
 * Back `path` up beside itself (copyToBackup) under backupPath's name for
 * `now` or, when that is taken, the first free of `NAME-1`, `NAME-2`, ...:
 * the name has the second only, and two runs within one second must
 * neither fail nor overwrite the first backup. Returns the name used.
 */
export async function backUp(path: string, now: Date): Promise<string> {
  const base = backupPath(path, now);
  for (let n = 0; n < 100; n++) {
    const to = n === 0 ? base : `${base}-${n}`;
    try {
      await copyToBackup(path, to);
      return to;
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
    }
  }
  throw new Error(`could not find a free backup name beside ${path} (${base} to ${base}-99 are taken)`);
}

/**
 * The first folder on the way to `path` that a write there could neither
 * go through nor create: a symbolic link to nothing, a loop of links, or
 * something that is not a folder. null when each is a folder, or missing
 * (a write creates it). Needed because opening the file through a link to
 * nothing fails as if the file were merely missing, and the write's mkdir
 * then fails with a bare ENOENT after other files were already written.
 */
export async function blockedFolder(path: string): Promise<{ readonly at: string; readonly what: string } | null> {
  const full = resolve(path);
  let at = parse(full).root;
  for (const name of full.split(sep).filter((n) => n !== "").slice(0, -1)) {
    at = join(at, name);
    try {
      const st = await fsp.stat(at);
      if (!st.isDirectory()) return { at, what: st.isFile() ? "a file" : "a special file" };
    } catch (err) {
      if (isErrno(err, "ELOOP")) return { at, what: "a loop of symbolic links" };
      if (!isErrno(err, "ENOENT")) return null; // Denied and the like: reading the file says so.
      const isLink = await fsp.lstat(at).then((st) => st.isSymbolicLink(), () => false);
      return isLink ? { at, what: "a symbolic link to nothing" } : null;
    }
  }
  return null;
}

/** What is at a path mosaic may read a product file from, without ever throwing on what it finds there. */
export type FileState =
  | { readonly kind: "file"; readonly content: string; readonly mode: number }
  | { readonly kind: "missing" }
  | { readonly kind: "other"; readonly what: string };

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A regular file's text and permission bits (a symbolic link followed),
 * or why there is none: missing, or `other` with a few words saying what
 * is there instead (a folder, a link to nothing, too big, not UTF-8, ...).
 * Opened non-blocking and checked on the open handle, so a FIFO swapped in
 * cannot hang the read and a file swapped in after a check is not misread.
 * The text is the bytes exactly (a BOM is kept), so a hash of it matches
 * a hash of what was written.
 */
export async function readFileState(path: string, maxBytes: number): Promise<FileState> {
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return absence(path, err);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) return { kind: "other", what: "a folder" };
    if (!st.isFile()) return { kind: "other", what: "not a regular file" };
    if (st.size > maxBytes) return { kind: "other", what: `larger than ${maxBytes} bytes` };
    const bytes = await handle.readFile();
    if (bytes.length > maxBytes) return { kind: "other", what: `larger than ${maxBytes} bytes` };
    try {
      return { kind: "file", content: STRICT_UTF8.decode(bytes), mode: st.mode & 0o7777 };
    } catch {
      return { kind: "other", what: "not UTF-8 text" };
    }
  } catch (err) {
    // Opening a folder works; reading it fails. Anything else unexpected is said, not thrown.
    if (isErrno(err, "EISDIR")) return { kind: "other", what: "a folder" };
    return { kind: "other", what: errnoWords(err) };
  } finally {
    await handle.close();
  }
}

async function absence(path: string, err: unknown): Promise<FileState> {
  if (isErrno(err, "ENOENT")) {
    const isLink = await fsp.lstat(path).then((st) => st.isSymbolicLink(), () => false);
    return isLink ? { kind: "other", what: "a symbolic link to nothing" } : { kind: "missing" };
  }
  if (isErrno(err, "ENOTDIR")) return { kind: "other", what: "a file where a folder on its path should be" };
  if (isErrno(err, "ELOOP")) return { kind: "other", what: "a loop of symbolic links" };
  if (isErrno(err, "EACCES")) return { kind: "other", what: "not readable (permission denied)" };
  // A unix socket cannot be opened at all.
  if (isErrno(err, "ENXIO")) return { kind: "other", what: "not a regular file" };
  return { kind: "other", what: errnoWords(err) };
}

function errnoWords(err: unknown): string {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" ? `unreadable (${code})` : `unreadable (${String(err)})`;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}

/** A new private folder under the system's temporary folder. */
export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(join(tmpdir(), prefix));
}

export async function makeDir(path: string, mode: number): Promise<void> {
  await fsp.mkdir(path, { recursive: true, mode });
}

/** Remove a folder and everything in it; a missing folder is fine. */
export async function removeTree(path: string): Promise<void> {
  await fsp.rm(path, { recursive: true, force: true });
}

/** The names in a folder; none when it does not exist. */
export async function listDirectory(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort();
  } catch (err) {
    if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return [];
    throw err;
  }
}

/** Remove a file; one already gone is not an error (removes are idempotent). */
export async function removeFileIfExists(path: string): Promise<void> {
  await fsp.rm(path, { force: true });
}

/** The path with every link and `..` resolved, or null when it cannot be (gone, a loop, unreadable). */
export async function realPath(path: string): Promise<string | null> {
  try {
    return await fsp.realpath(path);
  } catch {
    return null;
  }
}

/** Where the symbolic link at `path` points, made absolute; null when it is no link. */
export async function readLink(path: string): Promise<string | null> {
  try {
    return resolve(dirname(path), await fsp.readlink(path));
  } catch {
    return null;
  }
}
