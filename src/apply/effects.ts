import type { UnitVerb } from "../plan/types.js";
import type { SessionAfter } from "../identity/launch.js";

export type EffectResult =
  | { readonly ok: true; readonly detail?: string; readonly paneId?: string }
  | { readonly ok: false; readonly error: string };

/** A call on many units: which of them failed, when it did. */
export type BatchResult = { readonly ok: true } | { readonly ok: false; readonly failed: readonly string[]; readonly error: string };

export interface SessionStop {
  readonly session: string;
  /** The agent pane whose process group is signalled, re-read from tmux first; null: none known. */
  readonly paneId: string | null;
  readonly graceSeconds: number;
}

/**
 * The executor's hands: the only things it can do to the world, one per
 * kind of plan step. Each is idempotent (stopping a session that is gone
 * is not an error), so an interrupted apply can simply be run again.
 * Calls overlap (changes that do not depend on each other run side by
 * side), never for the same resource.
 */
export interface Effects {
  /** Start the sessions, in as few tmux calls as it can: one result per session name, `paneId` the new agent pane. */
  launchSessions(afters: readonly SessionAfter[]): Promise<ReadonlyMap<string, EffectResult>>;
  /** Record a session's labels in place (adopting a session made by an older version). */
  label(after: SessionAfter, paneId: string | null): Promise<EffectResult>;
  /**
   * Stop each session's agent pane process group (TERM, its grace, KILL),
   * all at once, then remove the sessions: one result per session name.
   */
  stopSessions(stops: readonly SessionStop[]): Promise<ReadonlyMap<string, EffectResult>>;
  /** One `systemctl --user VERB` for many units; for the `vouched` among them, the scripts only record what mosaic did. */
  systemctl(verb: UnitVerb, units: readonly string[], vouched: readonly string[]): Promise<BatchResult>;
  daemonReload(): Promise<EffectResult>;
  /** Atomic write leaving `mode`; `backup` keeps the old file beside it (named in `detail`); `record` notes the bytes as mosaic's. */
  writeFile(path: string, content: string, mode: number, opts: { backup: boolean; record: boolean }): Promise<EffectResult>;
  removeFile(path: string, opts: { record: boolean }): Promise<EffectResult>;
  /** The recorded agent pane of each named session that exists now: how a launch through a unit is waited on. */
  panesOf(sessions: readonly string[]): Promise<ReadonlyMap<string, string>>;
}
