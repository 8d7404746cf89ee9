import type { TmuxClient } from "../adapters/tmux.js";
import { tmuxEffects } from "../apply/tmux-effects.js";
import type { LaunchFile } from "../identity/launch-file.js";
import { observeFleet } from "../observe/observe-fleet.js";
import type { SessionToolOutcome } from "./start-session.js";

/** The grace when a launch file records none; the roster's default too. */
const DEFAULT_GRACE_SECONDS = 5;
/** The longest a roster allows: a launch file that says more is not believed. */
const MAX_GRACE_SECONDS = 600;

/**
 * Stop one session as a unit's ExecStop does, with the very stop a direct
 * apply makes (apply/tmux-effects.ts): TERM to the agent pane's process
 * group, its grace, KILL, then the session is removed. The grace comes
 * from the launch file, never from the session's label, which its agent
 * can rewrite; what is signalled is decided from tmux's pid for the
 * session's recorded pane, re-read and checked in /proc just before.
 * A session not made by mosaic is refused; no session is nothing to do.
 */
export async function stopFromLaunchFile(tmux: TmuxClient, file: LaunchFile, warn: (text: string) => void): Promise<SessionToolOutcome> {
  const seen = await observeFleet(tmux);
  const session = seen.sessions.find((s) => s.name === file.session);
  if (session === undefined) return { status: 0 };
  if (seen.globalLabels.length > 0) return { status: 1, message: `the label option ${seen.globalLabels[0]} is set for every session at once on socket ${tmux.socket}, so no session's label can be trusted; stopped nothing` };
  if (!session.managed) return { status: 1, message: `a session named ${file.session} on socket ${tmux.socket} was not made by mosaic; left it alone` };
  const written = Number(file.grace);
  const grace = file.grace !== "" && Number.isFinite(written) && written >= 0 ? Math.min(written, MAX_GRACE_SECONDS) : DEFAULT_GRACE_SECONDS;
  const results = await tmuxEffects(tmux).stopSessions([{ session: file.session, paneId: session.pane?.id ?? null, graceSeconds: grace }]);
  const r = results.get(file.session);
  if (r === undefined || !r.ok) return { status: 1, message: `could not remove session ${file.session}: ${r && !r.ok ? r.error : "no result"}` };
  if (r.detail !== undefined) warn(`${file.session}: ${r.detail}`);
  return { status: 0 };
}
