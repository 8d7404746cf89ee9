import { relative, isAbsolute } from "node:path";
import { UserError } from "../errors.js";
import { isErrno, isUnreachable, pathStatus, readTextFile, realPath } from "../adapters/fs.js";
import { unreachableReason } from "./unreachable.js";
import { readPrivateFileSync } from "../adapters/private-file.js";
import type { RosterSource } from "./parse.js";
import type { DesiredFleet } from "./types.js";

/** No real roster comes near this; a bigger file is a wrong path. */
export const MAX_ROSTER_BYTES = 1 << 20;

export interface LoadOptions {
  readonly path: string;
  readonly home: string;
  readonly cwd: string;
}

/** Read, validate and normalise the roster at `path`, or throw a UserError. */
export async function loadRoster(opts: LoadOptions): Promise<DesiredFleet> {
  const display = displayName(opts.path, opts.cwd);
  const status = await pathStatus(opts.path);
  if (isUnreachable(status)) throw new UserError(`${display}: ${unreachableReason(status, opts.path, (p) => displayName(p, opts.cwd))}`);
  const kind = status.kind;
  if (kind === "missing") {
    throw new UserError(`no roster at ${opts.path}`, [
      "Create one with: mosaic fleet init --profile minimal --write",
      "or name another file with --roster PATH.",
    ]);
  }
  if (kind === "directory") throw new UserError(`${display}: is a directory, not a roster file`);
  if (kind === "other") throw new UserError(`${display}: is not a regular file`);

  let text: string;
  try {
    text = await readTextFile(opts.path, MAX_ROSTER_BYTES);
  } catch (err) {
    if (isErrno(err, "EFBIG")) throw new UserError(`${display}: is larger than ${MAX_ROSTER_BYTES} bytes; this is not a roster`);
    if (isErrno(err, "EACCES")) throw new UserError(`${display}: permission denied`);
    throw err;
  }
  // Reached through a link, the roster is still the file: its sessions, and where its relative paths start, are the same whichever path named it.
  const real = await realPath(opts.path);
  const linked = real !== null && real !== opts.path ? real : undefined;
  const desired = await parseRosterText({ path: opts.path, display, text, ...(linked !== undefined ? { realPath: linked } : {}) }, opts.home);
  return linked !== undefined ? { ...desired, rosterRealPath: linked } : desired;
}

/**
 * Parse and validate roster text. The YAML parser and the validator are
 * loaded here, on first use: a command that reads no roster (`--help`)
 * never evaluates them.
 */
export async function parseRosterText(source: RosterSource, home: string): Promise<DesiredFleet> {
  const [{ parseRoster }, { rosterValidator }] = await Promise.all([import("./parse.js"), import("./schema.js")]);
  return parseRoster(source, { validate: await rosterValidator(), home, readEnvFile: readPrivateFileSync });
}

/** Paths under the working directory print relative, like a compiler's. */
function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
