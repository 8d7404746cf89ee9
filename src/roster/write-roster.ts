import { UserError } from "../errors.js";
import { blockedFolder, copyToBackup, fileKind, readLink, isErrno, isUnreachable, pathStatus, readTextFileIfExists, replaceFileAtomic, resolveWriteTarget, writeFileAtomic } from "../adapters/fs.js";
import { LINK_LOOP } from "./unreachable.js";
import { inFolder, unwritable } from "./write-errors.js";

/** `writtenPath` is the file that holds the roster: the path given, or the file its symbolic link names. */
export type WriteOutcome =
  | { readonly kind: "created"; readonly writtenPath: string }
  | { readonly kind: "unchanged"; readonly writtenPath: string }
  | { readonly kind: "replaced"; readonly writtenPath: string; readonly backupPath: string };

/**
 * Install `text` as the site roster. An existing roster is the user's work:
 * it is refused untouched without `force`, and with `force` kept as a
 * timestamped backup beside the new file before the atomic replace. A
 * roster that is a symbolic link (say, into a dotfiles repository) stays
 * one: the file it names is replaced, keeping its mode, and backed up.
 */
export async function writeSiteRoster(path: string, text: string, opts: { force: boolean; now: Date; retryHint: string }): Promise<WriteOutcome> {
  // Before anything is written: a path that cannot be followed is refused whole.
  const status = await pathStatus(path);
  if (isUnreachable(status)) throw unwritable(status, path);
  const where = await resolveWriteTarget(path);
  if (where.kind === "dangling") {
    throw new UserError(`${path} is a symbolic link to ${where.target}, which does not exist; left it alone`, [
      `Restore ${where.target}, or remove the link to install a new roster in its place, then run: ${opts.retryHint}`,
    ]);
  }
  if (where.kind === "loop") throw new UserError(`${path} ${LINK_LOOP}; left it alone`);
  const target = where.path;
  // A folder on the way that is a link to nothing (dotfiles not cloned yet) fails the write with a bare ENOENT: say which.
  const blocked = await blockedFolder(target);
  if (blocked !== null) {
    const link = blocked.what === "a symbolic link to nothing" ? await readLink(blocked.at) : null;
    throw new UserError(`cannot write the roster at ${path}: the folder ${blocked.at} is ${blocked.what}${link ? ` (${link}, which does not exist)` : ""}; nothing was written`, [
      `${link ? `Create ${link} (or remove the link)` : `Move ${blocked.at} out of the way`}, then run: ${opts.retryHint}`,
    ]);
  }

  const kind = await fileKind(target);
  if (kind === "directory" || kind === "other") throw new UserError(`${path} exists and is not a regular file; left it alone`);
  if (kind === "file") {
    const current = await readTextFileIfExists(target).catch((err: unknown) => {
      if (isErrno(err, "EACCES")) throw new UserError(`${path}: permission denied, so it cannot be compared or backed up; left it alone`);
      throw err;
    });
    if (current === text) return { kind: "unchanged", writtenPath: target };
    if (!opts.force) {
      throw new UserError(`a roster already exists at ${path}; left it unchanged`, [
        `Inspect it first: mosaic agent roster --roster ${path}`,
        `To replace it, keeping a backup beside it: ${opts.retryHint} --force`,
      ]);
    }
    const backupPath = await inFolder(target, () => backup(target, opts.now));
    await inFolder(target, () => replaceFileAtomic(target, text));
    return { kind: "replaced", writtenPath: target, backupPath };
  }
  await inFolder(target, () => writeFileAtomic(target, text));
  return { kind: "created", writtenPath: target };
}

async function backup(path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  for (let n = 0; n < 100; n++) {
    const candidate = `${path}.backup-${stamp}${n === 0 ? "" : `-${n}`}`;
    try {
      await copyToBackup(path, candidate);
      return candidate;
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
    }
  }
  throw new UserError(`could not find a free backup name beside ${path}`);
}
