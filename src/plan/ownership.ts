import type { ObservedSession } from "../observe/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { rosterId } from "../spec/roster-id.js";

/** This roster's identity; null for a stop by socket alone, which owns every managed session. */
export function ownRosterId(desired: DesiredFleet): string | null {
  return desired.rosterPath === null ? null : rosterId(desired.rosterPath);
}

/**
 * A session mosaic made for another roster sharing this socket: never this
 * roster's to change. The holder is the socket's, shared by every roster;
 * a session that recorded no roster (made by an older mosaic) is adopted.
 */
export function ofAnotherRoster(obs: ObservedSession, ownId: string | null): boolean {
  return obs.managed && obs.name !== HOLDER_SESSION && ownId !== null && obs.rosterId !== null && obs.rosterId !== ownId;
}
