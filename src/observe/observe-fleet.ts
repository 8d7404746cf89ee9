import type { TmuxClient } from "../adapters/tmux.js";
import { rosterId } from "../identity/roster-id.js";
import type { DesiredFleet } from "../roster/types.js";
import { parsePaneRows } from "./parse-panes.js";
import type { ObservedTmux } from "./types.js";

/**
 * The fleet's whole tmux state in one tmux call, whatever the roster size
 * (one list-panes over 200 sessions takes ~3 ms here; 200 has-session calls
 * take ~430 ms). Read-only. No server is an empty observation, not an error.
 */
export async function observeFleet(tmux: TmuxClient, desired?: DesiredFleet): Promise<ObservedTmux> {
  const obs = parsePaneRows(tmux.socket, await tmux.listAllPanes());
  return desired ? adoptLinkedRoster(obs, desired) : obs;
}

/**
 * A roster reached through a link is known by the file itself
 * (rosterIdentityPath). Sessions an earlier mosaic labelled with the
 * link's own identity are that roster's too: read as its own, so an
 * upgrade replaces nothing and refuses nothing.
 */
export function adoptLinkedRoster(obs: ObservedTmux, desired: DesiredFleet): ObservedTmux {
  if (desired.rosterRealPath === undefined || desired.rosterPath === null) return obs;
  const link = rosterId(desired.rosterPath);
  const own = rosterId(desired.rosterRealPath);
  if (!obs.sessions.some((s) => s.rosterId === link)) return obs;
  return { ...obs, sessions: obs.sessions.map((s) => (s.rosterId === link ? { ...s, rosterId: own } : s)) };
}
