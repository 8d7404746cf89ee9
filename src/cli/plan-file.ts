import { dirname } from "node:path";
import { isErrno, isUnreachable, pathStatus, readFileHead, readTextFile, writeFileAtomic } from "../adapters/fs.js";
import { UserError } from "../errors.js";
import { readSavedPlan, SAVED_PLAN_FORMAT, type SavedPlan } from "../plan/saved-plan.js";
import { unreachableReason } from "../roster/unreachable.js";
import { planKey } from "../adapters/plan-seal.js";
import { packageVersion } from "./package-version.js";

/** A saved plan holds every change's content and steps: a big fleet's is a few megabytes. */
const MAX_PLAN_FILE_BYTES = 256 << 20;

/**
 * Whole or not at all, and readable by the user alone: a plan shows the
 * agents' commands and environment. Only a new file in an existing folder,
 * or a plan mosaic saved before, is written: never a roster or any other
 * file, a folder, a FIFO or a device that happens to be at the path.
 */
export async function writePlanFile(path: string, saved: SavedPlan): Promise<void> {
  const status = await pathStatus(path);
  if (isUnreachable(status)) throw new UserError(`${path}: ${unreachableReason(status, path, (p) => p)}; the plan was not saved`);
  if (status.kind === "missing") {
    const folder = await pathStatus(dirname(path));
    if (isUnreachable(folder) || folder.kind !== "directory") throw new UserError(`no folder ${dirname(path)} to save the plan in; the plan was not saved`);
  } else if (status.kind !== "file") {
    throw new UserError(`${path}: is ${status.kind === "directory" ? "a directory" : "not a regular file"}; the plan was not saved`);
  } else if (!(await isSavedPlan(path))) {
    throw new UserError(`${path} is not a plan mosaic saved; it is never overwritten. The plan was not saved`, ["Choose another path for --out."]);
  }
  try {
    await writeFileAtomic(path, `${JSON.stringify(saved, null, 2)}\n`, 0o600);
  } catch (err) {
    throw new UserError(`could not save the plan to ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The saved plan at `path`, or a UserError saying why it cannot be one this mosaic applies. */
export async function readPlanFile(path: string, env: Readonly<Record<string, string | undefined>>): Promise<SavedPlan> {
  const status = await pathStatus(path);
  if (isUnreachable(status)) throw new UserError(`${path}: ${unreachableReason(status, path, (p) => p)}`);
  if (status.kind === "missing") throw new UserError(`no saved plan at ${path}`, ["Make one with: mosaic fleet plan --out FILE"]);
  // Opening a FIFO or a device could block or never end: a saved plan is a regular file.
  if (status.kind !== "file") throw new UserError(`${path}: is ${status.kind === "directory" ? "a directory" : "not a regular file"}, not a saved plan`);
  let text: string;
  try {
    text = await readTextFile(path, MAX_PLAN_FILE_BYTES);
  } catch (err) {
    if (isErrno(err, "EFBIG")) throw new UserError(`${path}: is larger than ${MAX_PLAN_FILE_BYTES} bytes; this is not a saved plan`);
    if (isErrno(err, "EACCES")) throw new UserError(`${path}: permission denied`);
    throw err;
  }
  const r = readSavedPlan(text, await packageVersion(), planKey(env, { create: false }));
  if (!r.ok) throw new UserError(`${path} is not a plan this mosaic can use: ${r.problem}`);
  return r.saved;
}

/** Whether the file at `path` begins as `fleet plan --out` writes a plan, whatever its version. */
async function isSavedPlan(path: string): Promise<boolean> {
  try {
    const head = (await readFileHead(path, 200)).toString("utf8");
    const family = SAVED_PLAN_FORMAT.slice(0, SAVED_PLAN_FORMAT.indexOf("/") + 1);
    return head.replace(/^\{\s*/, "").startsWith(`"format_version": "${family}`);
  } catch {
    return false;
  }
}
