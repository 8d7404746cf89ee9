/**
 * Read-only lookups on the host that the pre-launch checks need: where a
 * command resolves, and who owns a folder. Nothing here changes anything.
 */
import { constants, promises as fsp } from "node:fs";
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

async function isExecutableFile(path: string): Promise<boolean> {
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
