/**
 * What makes a saved plan this user's, and used once: a key only they can
 * read, with which `fleet plan --out` seals the file (an HMAC of its whole
 * content), and a record of every plan applied. `fleet show` and `fleet
 * apply` refuse a file whose seal does not verify (edited, by anyone, in
 * any field), and `fleet apply` one already applied: a plan made against
 * an empty socket would otherwise apply again after every stop.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { stateDir } from "./state.js";
import { privateFolder, readPrivateFileSync } from "./private-file.js";

type Env = Readonly<Record<string, string | undefined>>;

const keyPath = (env: Env) => join(stateDir(env), "plan-key");
const appliedDir = (env: Env) => join(stateDir(env), "applied-plans");

/** What another user could do with the state folder if it were theirs to write. */
const RISK = "another user could put their own plan key there, or clear the record of applied plans";

/**
 * The key, made (0600) on first use when `create`; null when there is none
 * and none may be made. Trusted only from a folder of this user's that no
 * one else may write, and a file only they may read: a key another user
 * can read or replace would let them seal a plan of their own.
 */
export function planKey(env: Env, opts: { create: boolean }): Buffer | null {
  if (!opts.create && !existsSync(stateDir(env))) return null;
  privateFolder(stateDir(env), RISK, opts);
  const read = readPrivateFileSync(keyPath(env), 4096);
  if (read.ok) {
    const hex = read.text.trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, "hex");
    throw new UserError(`${keyPath(env)} is not a key mosaic made; remove it and save the plan again`);
  }
  if (read.problem !== "no such file") throw new UserError(`${keyPath(env)}: ${read.problem}; mosaic trusts a plan key only you can read`, [`Remove it and save the plan again: rm ${keyPath(env)}`]);
  if (!opts.create) return null;
  const key = randomBytes(32);
  try {
    const fd = openSync(keyPath(env), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, `${key.toString("hex")}\n`);
    } finally {
      closeSync(fd);
    }
    return key;
  } catch (err) {
    // Another `plan --out` made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return planKey(env, { create: false });
    throw err;
  }
}

/**
 * Record that the plan `id` is being applied, once: false when it was
 * applied before. Called under the fleet's apply lock, before the first
 * change, so a plan that fails halfway is spent too (make a new one).
 */
export function consumePlan(env: Env, id: string, now: Date): boolean {
  if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`not a plan id: ${id}`);
  privateFolder(stateDir(env), RISK);
  privateFolder(appliedDir(env), RISK);
  try {
    const fd = openSync(join(appliedDir(env), id), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      writeSync(fd, `${now.toISOString()}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/** When the plan `id` was applied, or null. */
export function planAppliedAt(env: Env, id: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(id)) return null;
  try {
    return readFileSync(join(appliedDir(env), id), "utf8").trim();
  } catch {
    return null;
  }
}

export function newPlanId(): string {
  return randomBytes(16).toString("hex");
}
