/**
 * Variables the launch sets after the roster's, so a roster value would be
 * silently replaced. tmux 3.2+ sets the TERM_PROGRAM pair in every pane as
 * well as TMUX and TMUX_PANE (TERM too, but the launch passes the roster's
 * TERM through). Kept in step with the schema's env `propertyNames`.
 * Only the names mosaic sets today: the shipped local-canary example sets
 * a MOSAIC_ROLE of its own, so the whole prefix is not refused.
 */
const SET_BY_TMUX = new Set(["TMUX", "TMUX_PANE", "TERM_PROGRAM", "TERM_PROGRAM_VERSION"]);
const SET_BY_MOSAIC = new Set(["MOSAIC_AGENT_NAME", "MOSAIC_FLEET_SOCKET"]);

/** Why the roster cannot set the environment variable `name`, or undefined if it can. */
export function reservedEnvProblem(name: string): string | undefined {
  if (SET_BY_TMUX.has(name)) return "is set by tmux in every pane; the roster cannot set it";
  if (SET_BY_MOSAIC.has(name)) return "is set by mosaic for every agent; the roster cannot set it";
  return undefined;
}
