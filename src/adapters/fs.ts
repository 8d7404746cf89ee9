/**
 * Every file read and write the product makes goes through here, so the
 * atomic-write and never-overwrite rules live in one place.
 */
import { constants, promises as fsp } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

export type FileKind = "file" | "directory" | "other" | "missing";

export async function fileKind(path: string): Promise<FileKind> {
  try {
    const st = await fsp.stat(path);
    if (st.isFile()) return "file";
    if (st.isDirectory()) return "directory";
    return "other";
  } catch (err) {
    if (isErrno(err, "ENOENT") || isErrno(err, "ENOTDIR")) return "missing";
    throw err;
  }
}

/**
 * Read a file, refusing one larger than `maxBytes` before reading it whole,
 * so a roster path pointed at something huge fails fast.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  const handle = await fsp.open(path, "r");
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: "EISDIR" });
    if (st.size > maxBytes) throw Object.assign(new Error(`EFBIG: ${path}`), { code: "EFBIG", size: st.size });
    return await handle.readFile({ encoding: "utf8" });
  } finally {
    await handle.close();
  }
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
 * folder. Creates missing parent folders.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  const handle = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(data, "utf8");
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

/** Copy `path` to `backupPath`, failing rather than replacing an existing backup. */
export async function copyToBackup(path: string, backupPath: string): Promise<void> {
  await fsp.copyFile(path, backupPath, constants.COPYFILE_EXCL);
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
