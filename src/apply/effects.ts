import type { SessionAfter, SessionBefore } from "../plan/types.js";

export type EffectResult = { readonly ok: true; readonly detail?: string } | { readonly ok: false; readonly error: string };

/**
 * The executor's hands: the only things it can do to the world. Each is
 * idempotent (starting a session that exists, or stopping one that is gone,
 * is not an error), so an interrupted apply can simply be run again.
 */
export interface Effects {
  launch(after: SessionAfter): Promise<EffectResult>;
  /** Record a session's labels in place (adopting an unlabelled session). */
  label(name: string, after: SessionAfter): Promise<EffectResult>;
  /** Stop the session's processes (TERM, grace, KILL) and remove the session. */
  stop(before: SessionBefore, graceSeconds: number): Promise<EffectResult>;
}

/** Session user options the fleet writes; the observer reads them back. */
export function sessionLabels(after: SessionAfter): Record<string, string> {
  return { "@mosaic-managed": "1", "@mosaic-spec": after.specHash, "@mosaic-launch": after.launch };
}
