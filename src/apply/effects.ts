import type { SessionAfter, SessionBefore } from "../plan/types.js";

export type EffectResult =
  | { readonly ok: true; readonly detail?: string; readonly paneId?: string }
  | { readonly ok: false; readonly error: string };

/**
 * The executor's hands: the only things it can do to the world. Each is
 * idempotent (stopping a session that is gone is not an error), so an
 * interrupted apply can simply be run again.
 */
export interface Effects {
  /** Start the session; `paneId` in the result is the new agent pane. */
  launch(after: SessionAfter): Promise<EffectResult>;
  /** Record a session's labels in place (adopting a session made by an older version). */
  label(after: SessionAfter, before: SessionBefore): Promise<EffectResult>;
  /** Stop the agent pane's process group (TERM, grace, KILL) and remove the session. */
  stop(before: SessionBefore, graceSeconds: number): Promise<EffectResult>;
}
