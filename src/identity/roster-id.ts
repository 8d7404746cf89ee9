import { createHash } from "node:crypto";
import type { DesiredFleet } from "../roster/types.js";

/**
 * A roster file's identity: a short hash of its absolute path (the file's
 * own, not a link's: rosterIdentityPath). Sessions
 * record it (`@mosaic-roster`) so that two rosters sharing a socket never
 * plan to remove each other's agents; the state file of the roster has
 * the same name, which maps an identity back to a path for messages.
 */
export function rosterId(rosterPath: string): string {
  return createHash("sha256").update(rosterPath).digest("hex").slice(0, 16);
}

export const ROSTER_ID_PATTERN = /^[0-9a-f]{16}$/;

/** The path a roster is known by: the file itself, whichever link it was reached through; null for a stop by socket alone. */
export function rosterIdentityPath(desired: DesiredFleet): string | null {
  return desired.rosterRealPath ?? desired.rosterPath;
}

/** The identity of the roster a fleet was read from; null for a stop by socket alone, which owns every managed session. */
export function ownRosterId(desired: DesiredFleet): string | null {
  const path = rosterIdentityPath(desired);
  return path === null ? null : rosterId(path);
}
