import { createHash } from "node:crypto";

/**
 * A roster file's identity: a short hash of its absolute path. Sessions
 * record it (`@mosaic-roster`) so that two rosters sharing a socket never
 * plan to remove each other's agents; the state file of the roster has
 * the same name, which maps an identity back to a path for messages.
 */
export function rosterId(rosterPath: string): string {
  return createHash("sha256").update(rosterPath).digest("hex").slice(0, 16);
}

export const ROSTER_ID_PATTERN = /^[0-9a-f]{16}$/;
