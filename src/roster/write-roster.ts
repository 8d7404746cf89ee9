import { UserError } from "../errors.js";
import { copyToBackup, fileKind, isErrno, readTextFileIfExists, writeFileAtomic } from "../adapters/fs.js";

export type WriteOutcome =
  | { readonly kind: "created" }
  | { readonly kind: "unchanged" }
  | { readonly kind: "replaced"; readonly backupPath: string };

/**
 * Install `text` as the site roster. An existing roster is the user's work:
 * it is refused untouched without `force`, and with `force` kept as a
 * timestamped backup beside the new file before the atomic replace.
 */
export async function writeSiteRoster(path: string, text: string, opts: { force: boolean; now: Date; retryHint: string }): Promise<WriteOutcome> {
  const kind = await fileKind(path);
  if (kind === "directory" || kind === "other") throw new UserError(`${path} exists and is not a regular file; left it alone`);
  if (kind === "file") {
    const current = await readTextFileIfExists(path);
    if (current === text) return { kind: "unchanged" };
    if (!opts.force) {
      throw new UserError(`a roster already exists at ${path}; left it unchanged`, [
        `Inspect it first: mosaic agent roster --roster ${path}`,
        `To replace it, keeping a backup beside it: ${opts.retryHint} --force`,
      ]);
    }
    const backupPath = await backup(path, opts.now);
    await writeFileAtomic(path, text);
    return { kind: "replaced", backupPath };
  }
  await writeFileAtomic(path, text);
  return { kind: "created" };
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
