/**
 * What mosaic remembers between runs, under $XDG_STATE_HOME/mosaic
 * (~/.local/state/mosaic): per roster file, the tmux sockets it was
 * applied to, so a plan can warn about a fleet left running on a socket
 * the roster no longer names. Losing this file loses only that warning.
 */
import { mkdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { socketNameProblem } from "../identity/socket-name.js";
import { mosaicStateDir } from "../xdg.js";
import { rosterId, ROSTER_ID_PATTERN } from "../identity/roster-id.js";
import { readTextFileIfExists, writeFileAtomic } from "./fs.js";

type Env = Readonly<Record<string, string | undefined>>;

const MAX_REMEMBERED_SOCKETS = 8;

export function stateDir(env: Env): string {
  return mosaicStateDir(env);
}

function rosterStatePath(env: Env, rosterPath: string): string {
  return stateFileOf(env, rosterId(rosterPath));
}

function stateFileOf(env: Env, id: string): string {
  return join(stateDir(env), "rosters", `${id}.json`);
}

/** The roster file a roster identity (`@mosaic-roster`) stands for, if this user applied it; for messages only. */
export async function rosterPathOf(env: Env, id: string): Promise<string | null> {
  if (!ROSTER_ID_PATTERN.test(id)) return null;
  try {
    const doc = JSON.parse((await readTextFileIfExists(stateFileOf(env, id))) ?? "{}") as { roster?: unknown };
    return typeof doc.roster === "string" && rosterId(doc.roster) === id ? doc.roster : null;
  } catch {
    return null;
  }
}

/** Sockets this roster was applied to, most recent first; [] when nothing is remembered or the file is unreadable. */
export async function appliedSockets(env: Env, rosterPath: string): Promise<string[]> {
  try {
    const doc = JSON.parse((await readTextFileIfExists(rosterStatePath(env, rosterPath))) ?? "{}") as { roster?: unknown; sockets?: unknown };
    if (doc.roster !== rosterPath || !Array.isArray(doc.sockets)) return [];
    return doc.sockets.filter((s): s is string => typeof s === "string" && socketNameProblem(s) === undefined);
  } catch {
    return [];
  }
}

/** Remember `sockets` (the current one first) for this roster. */
export async function rememberAppliedSockets(env: Env, rosterPath: string, sockets: readonly string[]): Promise<void> {
  const unique = [...new Set(sockets)].slice(0, MAX_REMEMBERED_SOCKETS);
  await writeFileAtomic(rosterStatePath(env, rosterPath), `${JSON.stringify({ roster: rosterPath, sockets: unique }, null, 2)}\n`, 0o600);
}

/**
 * Whether a notice keyed `key` should be said now: false when it was said
 * within the last day (a notice that cannot change until the user acts,
 * repeated by every run, is noise). Records that it is being said. Best
 * effort: a state folder that cannot be written says it every time.
 */
export function sayOncePerDay(env: Env, key: string, now: Date): boolean {
  const file = join(stateDir(env), "said", key);
  try {
    if (now.getTime() - statSync(file).mtimeMs < 24 * 3600 * 1000) return false;
  } catch {
    // never said, or unreadable: say it
  }
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Empty: its time is what counts, and a file the same every time leaves an install's files the same.
    writeFileSync(file, "", { mode: 0o600 });
    utimesSync(file, now, now);
  } catch {
    // nowhere to remember it: said again next time
  }
  return true;
}
