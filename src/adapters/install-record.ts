/**
 * What mosaic last wrote to each product file it installed (units, tools),
 * as a hash of the bytes, in $XDG_STATE_HOME/mosaic/installed.json:
 *
 *   { "format": 1, "files": { "/home/u/.config/systemd/user/mosaic-agent@.service": "sha256:<hex>" } }
 *
 * so that `mosaic update` can tell a file still as mosaic wrote it (safe to
 * refresh) from one the user edited by hand (needs --force). Losing the
 * record errs on the safe side: every file then looks hand-edited, and
 * nothing is overwritten without --force. So a record that cannot be read
 * or trusted counts as empty, and says so, rather than failing the command
 * or being believed in part.
 */
import { isAbsolute, join, normalize } from "node:path";
import { mosaicStateDir } from "../xdg.js";
import { backUp, isErrno, readFileState, writeFileAtomic } from "./fs.js";

type Env = Readonly<Record<string, string | undefined>>;

export const INSTALL_RECORD_FORMAT = 1;

/** Far above any record a fleet writes (a few hundred bytes a file); a bigger file is not ours. */
const MAX_RECORD_BYTES = 1024 * 1024;

const HASH = /^sha256:[0-9a-f]{64}$/;

export interface InstallRecord {
  /** Absolute path of each installed file to the hash of what mosaic last wrote there. */
  readonly files: Readonly<Record<string, string>>;
  /** Why the record on disk could not be used (then `files` is empty), or null. */
  readonly unreadable: string | null;
}

export interface InstalledFile {
  readonly path: string;
  readonly hash: string;
}

export function installRecordPath(env: Env): string {
  return join(mosaicStateDir(env), "installed.json");
}

/** The record; empty when there is none, and empty with `unreadable` when the file is there but unusable. Never throws on what the file holds. */
export async function readInstallRecord(env: Env): Promise<InstallRecord> {
  const state = await readFileState(installRecordPath(env), MAX_RECORD_BYTES);
  if (state.kind === "missing") return { files: {}, unreadable: null };
  if (state.kind === "other") return { files: {}, unreadable: `${installRecordPath(env)} is ${state.what}` };
  const parsed = parseRecord(state.content);
  return typeof parsed === "string" ? { files: {}, unreadable: `${installRecordPath(env)}: ${parsed}` } : { files: parsed, unreadable: null };
}

/**
 * Remember that mosaic wrote these files, with these hashes, keeping every
 * other entry. An unreadable record is first copied aside (a
 * `.mosaic-backup-*` beside it) and then replaced, so nothing in it is
 * lost; the record returned says it was unreadable, for the caller to tell.
 */
export async function recordInstalled(env: Env, entries: readonly InstalledFile[]): Promise<InstallRecord> {
  for (const e of entries) {
    if (!isAbsolute(e.path)) throw new Error(`install record: not an absolute path: ${e.path}`);
    if (!HASH.test(e.hash)) throw new Error(`install record: not a sha256 hash: ${e.hash}`);
  }
  return update(env, (files) => {
    for (const e of entries) files.set(normalize(e.path), e.hash);
  });
}

/** Forget these files (removed by mosaic, or no longer shipped); a path not recorded is fine. */
export async function forgetInstalled(env: Env, paths: readonly string[]): Promise<InstallRecord> {
  return update(env, (files) => {
    for (const p of paths) files.delete(normalize(p));
  });
}

/** The last change to the record under way in this process. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * A read, a change and a write of the whole record: two at once in one
 * process (the executor writes independent files side by side) would each
 * keep only its own entry, so they go one at a time. Two processes are
 * kept apart by the apply lock.
 */
function update(env: Env, change: (files: Map<string, string>) => void): Promise<InstallRecord> {
  const next = queue.then(() => rewrite(env, change));
  queue = next.catch(() => {});
  return next;
}

async function rewrite(env: Env, change: (files: Map<string, string>) => void): Promise<InstallRecord> {
  const path = installRecordPath(env);
  const before = await readInstallRecord(env);
  if (before.unreadable !== null) await keepAside(path);
  const files = new Map(Object.entries(before.files));
  change(files);
  const sorted = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(path, `${JSON.stringify({ format: INSTALL_RECORD_FORMAT, files: sorted }, null, 2)}\n`, 0o600);
  return { files: sorted, unreadable: before.unreadable };
}

/** Copy an unusable record beside itself before it is replaced. Something that is not a file (a folder) cannot be replaced anyway: the write will say so. */
async function keepAside(path: string): Promise<void> {
  try {
    await backUp(path, new Date());
  } catch (err) {
    if (!isErrno(err, "EISDIR") && !isErrno(err, "ENOENT")) throw err;
  }
}

/** The files map, or why the text is not a record this version can trust. */
function parseRecord(text: string): Record<string, string> | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "not a JSON object";
  const { format, files } = doc as { format?: unknown; files?: unknown };
  // A newer format may mean something else by the same fields: not believed in part.
  if (format !== INSTALL_RECORD_FORMAT) return `format ${JSON.stringify(format) ?? "missing"}, expected ${INSTALL_RECORD_FORMAT}`;
  if (typeof files !== "object" || files === null || Array.isArray(files)) return `"files" is not an object`;
  const out: Record<string, string> = {};
  for (const [path, hash] of Object.entries(files)) {
    if (!isAbsolute(path)) return `${JSON.stringify(path)} is not an absolute path`;
    if (typeof hash !== "string" || !HASH.test(hash)) return `the hash of ${JSON.stringify(path)} is not sha256:<64 hex digits>`;
    out[normalize(path)] = hash;
  }
  return out;
}
