import type { LaunchVariant, ObservedPane } from "../observe/types.js";
import type { SessionAfter } from "../spec/launch.js";

export type { SessionAfter };

/** What the executor does to a resource. It switches on this alone. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "noop";

/**
 * Why a change is needed. Explains; never drives apply (Terraform's rule):
 * the executor must not read it.
 */
export type PlanReason =
  | "missing" // wanted, no session
  | "pane-dead" // the agent's process exited; its pane stays (remain-on-exit)
  | "pane-missing" // the agent's own pane is gone (its window was closed), or cannot be told apart
  | "spec-changed" // the session's @mosaic-spec differs from the roster's
  | "restart-requested" // fleet restart / --force-replace
  | "reset-requested" // agent reset
  | "unlabelled" // managed, no spec hash: made by an older version; adopt
  | "not-in-roster" // managed, but the roster no longer has it
  | "disabled" // in the roster with enabled: false
  | "stop-requested" // fleet stop
  | "in-sync"; // noop

/**
 * Every kind of thing the fleet manages. Only tmux sessions are planned so
 * far; systemd units and installed files join as the systemd backend lands,
 * each with a planner module of its own under src/plan/.
 */
export type ResourceType = "tmux.session" | "systemd.unit" | "file.unit" | "file.tool" | "file.launch";

/** The session as observed. */
export interface SessionBefore {
  readonly name: string;
  readonly managed: boolean;
  readonly specHash: string | null;
  readonly specFields: Readonly<Record<string, string>> | null;
  readonly launch: LaunchVariant | null;
  readonly createdAt: number;
  /** The agent's own pane, by id; null when it is gone. Only its process group is ever signalled. */
  readonly pane: ObservedPane | null;
  readonly paneRecorded: boolean;
  readonly paneCount: number;
}

/** What every change carries, whatever its kind and action. */
interface ChangeBase {
  readonly address: string;
  readonly name: string;
  readonly reason: PlanReason;
  /** One sentence for the human view. */
  readonly message: string;
  /** Addresses that must be applied before this one. */
  readonly dependsOn: readonly string[];
  /**
   * The change stops the agent whose pane runs this very command (a
   * `fleet restart` typed inside an agent). It depends on every other
   * change, and the caller hands it to a process outside that pane.
   */
  readonly runsCaller: boolean;
}

interface SessionChangeBase extends ChangeBase {
  readonly type: "tmux.session";
  /** Seconds between SIGTERM and SIGKILL when the old processes are stopped. */
  readonly stopGraceSeconds: number;
}

/**
 * A session's change, discriminated on the action, which says which side
 * exists: create has no `before`, delete no `after`. Only a replace can be
 * `held`: deferred by the agent's `on_spec_change: hold`, shown in every
 * plan, applied only by `agent reset` or `--force-replace`.
 */
export type SessionChange = SessionChangeBase &
  (
    | { readonly action: "create"; readonly held: false; readonly before: null; readonly after: SessionAfter }
    | { readonly action: "update"; readonly held: false; readonly before: SessionBefore; readonly after: SessionAfter }
    | { readonly action: "replace"; readonly held: boolean; readonly before: SessionBefore; readonly after: SessionAfter }
    | { readonly action: "delete"; readonly held: false; readonly before: SessionBefore; readonly after: null }
    | { readonly action: "noop"; readonly held: false; readonly before: SessionBefore; readonly after: SessionAfter }
  );

/** One resource's change: a union over resource kinds, each discriminated on its action. */
export type ResourceChange = SessionChange;

export type PlanDiagnosticCode =
  | "unmanaged-session" // on the socket, not ours: never touched
  | "name-taken" // an unmanaged session has a roster agent's name
  | "unreadable-row" // tmux output we could not parse: the plan cannot claim anything
  | "extra-panes" // a managed session has panes we did not make
  | "cwd-missing" // a launch's working directory does not exist
  | "cwd-not-directory" // ...or is not a directory
  | "command-not-found" // a launch's command is not on the PATH the agent will get
  | "command-too-long" // a launch's tmux command line is longer than tmux accepts
  | "tmux-too-old" // tmux older than MIN_TMUX
  | "socket-path-too-long" // the socket path does not fit a Unix socket address
  | "socket-dir-unsafe" // tmux refuses a socket folder others can use
  | "previous-socket" // managed sessions still run on the socket this roster used before
  | "other-roster"; // a session another roster made: never touched by this one

export interface PlanDiagnostic {
  readonly severity: "warning" | "error";
  readonly code: PlanDiagnosticCode;
  readonly address?: string;
  readonly message: string;
}

/** What to reconcile to, beyond the roster itself. */
export interface PlanIntent {
  /** "roster": run what the roster enables. "stopped": every managed session absent. */
  readonly target: "roster" | "stopped";
  /** Agents to replace even if in sync, and why. */
  readonly replace: readonly string[];
  readonly replaceReason: "restart-requested" | "reset-requested";
  /** Agents to (re)start without their resume arguments. */
  readonly fresh: readonly string[];
}

export const ROSTER_INTENT: PlanIntent = { target: "roster", replace: [], replaceReason: "restart-requested", fresh: [] };
export const STOP_INTENT: PlanIntent = { target: "stopped", replace: [], replaceReason: "restart-requested", fresh: [] };

export const PLAN_FORMAT_VERSION = "1.0";

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly socket: string;
  readonly rosterPath: string | null;
  readonly intent: PlanIntent;
  /** Ordered: dependencies first. Includes noops. */
  readonly changes: readonly ResourceChange[];
  readonly diagnostics: readonly PlanDiagnostic[];
  /** Hash of the observation the plan was made from; a saved plan is stale if it differs. */
  readonly observedFingerprint: string;
}
