import type { TmuxClient } from "../adapters/tmux.js";
import type { LaunchFile } from "../identity/launch-file.js";
import { observeFleet } from "../observe/observe-fleet.js";
import { HOLDER_SESSION } from "../roster/types.js";

export type SessionToolOutcome = { readonly status: 0 | 1; readonly message?: string };

/**
 * Start one session from its launch file, as a unit's ExecStart does
 * (mosaic-agent@NAME.service, mosaic-tmux-holder.service). Idempotent: a
 * live session of the same spec, as its label says through the one label
 * parser, is left as it is. A session of that name that is dead, of
 * another spec, or not made by mosaic is left alone and refused. Only the
 * holder starts the fleet's tmux server: the server joins the cgroup of the
 * unit that starts it, and stopping an agent's unit would then end every
 * agent.
 */
export async function startFromLaunchFile(tmux: TmuxClient, file: LaunchFile): Promise<SessionToolOutcome> {
  const name = file.session;
  const seen = await observeFleet(tmux);
  if (seen.globalLabels.length > 0) return { status: 1, message: `the label option ${seen.globalLabels[0]} is set for every session at once on socket ${tmux.socket}, so no session's label can be trusted; started nothing` };
  const session = seen.sessions.find((s) => s.name === name);
  if (session !== undefined) {
    if (!session.managed) return { status: 1, message: `a session named ${name} on socket ${tmux.socket} was not made by mosaic; left it alone` };
    if (session.specHash !== file.spec) return { status: 1, message: `session ${name} runs another spec (${session.specHash ?? "none recorded"}); stop it first (the unit's ExecStop does)` };
    if (session.pane === null || session.pane.dead) return { status: 1, message: `session ${name} has no live agent pane; stop it first (the unit's ExecStop does)` };
    return { status: 0 };
  }
  if (name !== HOLDER_SESSION && !seen.serverRunning) {
    return { status: 1, message: `no tmux server on socket ${tmux.socket}; mosaic-tmux-holder.service starts it (mosaic fleet apply restarts that unit)` };
  }
  const r = "launch" in file.start ? await tmux.newSession(file.start.launch) : await tmux.runRecordedLaunch(file.start.recordedArgs);
  return r.ok ? { status: 0 } : { status: 1, message: `tmux could not start session ${name}: ${r.stderr.trim() || `exit status ${r.exitCode}`}` };
}
