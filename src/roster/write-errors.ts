import { dirname } from "node:path";
import { UserError } from "../errors.js";
import type { Unreachable } from "../adapters/fs.js";
import { LINK_LOOP, unreachableReason } from "./unreachable.js";

/** Why the roster cannot be written at `path`, found before anything is written. */
export function unwritable(status: Unreachable, path: string): UserError {
  if (status.kind === "not-a-folder") return new UserError(`cannot create the folder ${status.at}: a file is in the way`);
  if (status.kind === "loop" && status.at === path) return new UserError(`${path} ${LINK_LOOP}; left it alone`);
  return new UserError(`${path}: ${unreachableReason(status, path, (p) => p)}`);
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device; the roster there is as it was",
  EDQUOT: "the disk quota is used up; the roster there is as it was",
  // Only if a file appeared since the roster's path was checked.
  EEXIST: "a file is in the way",
  ENOTDIR: "a file is in the way",
};

/**
 * A failure to create the roster's folder, or to write in it (the temp
 * file, the backup), in words naming that folder; undefined for anything
 * else, which stays unexpected. `folder` is where the roster goes.
 */
export function writeFailure(err: unknown, folder: string): UserError | undefined {
  const { code, syscall, path } = err as { code?: unknown; syscall?: unknown; path?: unknown };
  const reason = typeof code === "string" ? REASONS[code] : undefined;
  if (reason === undefined) return undefined;
  // A recursive mkdir names the one folder it could not create.
  if (syscall === "mkdir") return new UserError(`cannot create the folder ${typeof path === "string" ? path : folder}: ${reason}`);
  if (code === "EEXIST" || code === "ENOTDIR") return undefined;
  return new UserError(`cannot write in the folder ${folder}: ${reason}`);
}

/** Run a write step, turning a folder failure into a UserError. */
export async function inFolder<T>(target: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw writeFailure(err, dirname(target)) ?? err;
  }
}
