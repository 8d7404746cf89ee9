import type { ObservedSession } from "../observe/types.js";
import { HOLDER_SESSION } from "../roster/types.js";

/**
 * A session mosaic made for another roster sharing this socket: never this
 * roster's to change. The holder is the socket's, shared by every roster;
 * a session that recorded no roster (made by an older mosaic) is adopted.
 */
export function ofAnotherRoster(obs: ObservedSession, ownId: string | null): boolean {
  return obs.managed && obs.name !== HOLDER_SESSION && ownId !== null && obs.rosterId !== null && obs.rosterId !== ownId;
}
