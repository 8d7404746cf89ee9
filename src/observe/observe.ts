import type { TmuxClient } from "../adapters/tmux.js";
import { parsePaneRows } from "./parse-panes.js";
import type { ObservedFleet } from "./types.js";

/**
 * The fleet's whole tmux state in one tmux call, whatever the roster size
 * (one list-panes over 200 sessions takes ~3 ms here; 200 has-session calls
 * take ~430 ms). Read-only. No server is an empty observation, not an error.
 */
export async function observeFleet(tmux: TmuxClient): Promise<ObservedFleet> {
  return parsePaneRows(tmux.socket, await tmux.listAllPanes());
}
