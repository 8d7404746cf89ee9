import type { ObservedPane } from "../observe/types.js";
import type { LaunchVariant, SessionAfter } from "../identity/launch.js";
import { FORMAT_VERSIONS } from "../formats.js";

/** What happens to a resource, as Terraform says it. The executor runs a change's steps, never reads this. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "noop";

/**
 * Why a change is needed. Explains; never drives apply (Terraform's rule):
 * the executor must not read it.
 */
export type PlanReason =
  | "missing" // wanted, absent (a session, a file)
  | "pane-dead" // the agent's process exited; its pane stays (remain-on-exit)
  | "pane-missing" // the agent's own pane is gone (its window was closed), or cannot be told apart
  | "spec-changed" // the session's @mosaic-spec differs from the roster's
  | "restart-requested" // fleet restart / --force-replace
  | "reset-requested" // agent reset
  | "unlabelled" // managed, no spec hash: made by an older version; adopt
  | "not-in-roster" // managed, but the roster no longer has it
  | "disabled" // in the roster with enabled: false
  | "stop-requested" // fleet stop
  | "content-changed" // a file's bytes differ from what this mosaic installs or writes
  | "mode-changed" // ...or only its permissions do
  | "edited-by-hand" // a product file changed since mosaic wrote it; replaced only with --force, keeping a backup
  | "unit-files-changed" // unit files changed on disk: systemd must re-read them (daemon-reload)
  | "enable-wanted" // the roster runs this unit; it is not enabled, so it would not come back at login or boot
  | "disable-wanted" // enabled, but the roster does not run it
  | "unit-inactive" // the session runs as the roster says, but its unit is not active: starting it adopts the session
  | "unit-without-session" // the unit is active but the session it started is gone and not wanted
  | "in-sync"; // noop

/**
 * Every kind of thing the fleet manages, each with a planner module of its
 * own under src/plan/. `systemd.manager` is the user manager itself: its
 * one action is daemon-reload, a tool call of its own between the unit
 * files and the units.
 */
export type ResourceType = "tmux.session" | "systemd.unit" | "systemd.manager" | "file.unit" | "file.tool" | "file.launch";

/** How sessions are started and stopped: through systemd user units, or by mosaic itself. */
export type Backend = "systemd" | "direct";

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

export type UnitVerb = "start" | "stop" | "restart" | "enable" | "disable";

/**
 * One tool call: the executor's unit of work, and what a failure names.
 * The planner decides every step; the executor switches on `kind` alone.
 */
export type PlanStep =
  /** tmux new-session with the session's labels (the direct launch). */
  | { readonly kind: "tmux.launch"; readonly after: SessionAfter }
  /** Record a session's labels in place. */
  | { readonly kind: "tmux.label"; readonly after: SessionAfter; readonly paneId: string | null }
  /** TERM to the agent pane's process group, the grace, KILL; then kill-session. */
  | { readonly kind: "tmux.stop"; readonly session: string; readonly paneId: string | null; readonly graceSeconds: number }
  /**
   * `systemctl --user VERB UNIT`; `launches` names the session whose new pane the apply then waits on.
   * `vouched`: the step before it did the session's work (tmux.launch, tmux.stop), so the unit's
   * script, told so through a receipt only this mosaic can make, only records it: one node less per unit.
   */
  | { readonly kind: "systemctl"; readonly verb: UnitVerb; readonly unit: string; readonly launches: string | null; readonly vouched?: true }
  | { readonly kind: "daemon-reload" }
  /** Atomic write leaving `mode`; `backup`: first copy the old file beside it; `record`: note the bytes as mosaic's (product files). */
  | { readonly kind: "file.write"; readonly path: string; readonly content: string; readonly mode: number; readonly backup: boolean; readonly record: boolean }
  | { readonly kind: "file.remove"; readonly path: string; readonly record: boolean };

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
  /** The tool calls that carry it out, in order; empty for a noop or a held change. */
  readonly steps: readonly PlanStep[];
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

/** A unit as systemd reports it, in systemd's words. */
export interface UnitBefore {
  readonly loadState: string;
  readonly activeState: string;
  readonly subState: string;
  readonly unitFileState: string;
}

/** What the fleet wants of a unit. */
export interface UnitAfter {
  readonly enabled: boolean;
  readonly active: boolean;
}

/** A unit's enablement and activity. Its session's own changes are `tmux.session` changes, carried out through it. */
export interface UnitChange extends ChangeBase {
  readonly type: "systemd.unit";
  readonly action: "update" | "noop";
  readonly held: false;
  readonly before: UnitBefore;
  readonly after: UnitAfter;
}

/** The user manager: daemon-reload after unit files changed. */
export interface ManagerChange extends ChangeBase {
  readonly type: "systemd.manager";
  readonly action: "update";
  readonly held: false;
  readonly before: null;
  readonly after: null;
}

export type FileType = "file.unit" | "file.tool" | "file.launch";

export interface FileState {
  readonly content: string;
  readonly mode: number;
}

/** An installed product file or a launch file: its bytes and mode. */
export type FileChange<T extends FileType = FileType> = ChangeBase & {
  readonly type: T;
  readonly path: string;
  readonly held: false;
} & (
    | { readonly action: "create"; readonly before: null; readonly after: FileState }
    | { readonly action: "update"; readonly before: FileState; readonly after: FileState }
    | { readonly action: "delete"; readonly before: FileState; readonly after: null }
    | { readonly action: "noop"; readonly before: FileState; readonly after: FileState }
  );

/** One resource's change: a union over resource kinds, each discriminated on its action. */
export type ResourceChange = SessionChange | UnitChange | ManagerChange | FileChange;

export type PlanDiagnosticCode =
  | "unmanaged-session" // on the socket, not ours: never touched
  | "name-taken" // an unmanaged session has a roster agent's name
  | "unreadable-row" // tmux output we could not parse: the plan cannot claim anything
  | "global-label" // a label option set for every session at once: no session's label can be trusted
  | "extra-panes" // a managed session has panes we did not make
  | "cwd-missing" // a launch's working directory does not exist
  | "cwd-not-directory" // ...or is not a directory
  | "command-not-found" // a launch's command is not on the PATH the agent will get
  | "command-too-long" // a launch is larger than Linux passes to a program (one argument or environment entry, or all of them)
  | "tmux-too-old" // tmux older than MIN_TMUX
  | "socket-path-too-long" // the socket path does not fit a Unix socket address
  | "socket-file-lost" // a tmux server listens on the socket's path, but the file is gone: a launch would start a second fleet
  | "socket-dir-unsafe" // tmux refuses a socket folder others can use
  | "previous-socket" // managed sessions still run on the socket this roster used before
  | "other-roster" // a session another roster made: never touched by this one
  | "backend-unavailable" // backend: systemd where no user manager answers or the units are not installed
  | "file-blocked" // something that is not a regular file is where mosaic would write one
  | "file-edited" // a product file was edited by hand: replaced only with --force
  | "install-incomplete" // under systemd, an installed file the units run is missing
  | "install-outdated" // under systemd, installed files are not this mosaic's (run mosaic update)
  | "install-node-missing" // under systemd, the node the installed tools run with is gone (run mosaic update)
  | "drift-check-stale" // the installed drift check runs a node or mosaic that is gone (run mosaic update)
  | "unit-change-pending" // a unit file change takes effect at the unit's next start, which the plan does not make
  | "unit-masked" // a unit the fleet needs is masked: systemd refuses to start or enable it
  | "units-not-used" // the units are installed but this run does not use them (backend direct, no manager, half installed)
  | "server-outside-units" // an adopted fleet's tmux server runs outside the holder unit
  | "unit-dir-unread" // install-systemd would write units where the user manager does not look
  | "reload-impossible" // --reload was asked for where no user manager answers
  | "other-fleet-units"; // enabled units of another fleet that is not running: they fail at the next login

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
  /** Only these agents' changes, and what they wait for (`--agent`); absent: the whole fleet. */
  readonly only?: readonly string[];
}

export const ROSTER_INTENT: PlanIntent = { target: "roster", replace: [], replaceReason: "restart-requested", fresh: [] };
export const STOP_INTENT: PlanIntent = { target: "stopped", replace: [], replaceReason: "restart-requested", fresh: [] };

/** `intent` limited to `agents` (`--agent`), or as it is when none are named. */
export function limitedTo(intent: PlanIntent, agents: readonly string[] | undefined): PlanIntent {
  return agents === undefined || agents.length === 0 ? intent : { ...intent, only: [...new Set(agents)] };
}

/** The version of a plan as data (in saved plans), the plan document's. */
export const PLAN_FORMAT_VERSION = FORMAT_VERSIONS.plan;

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly socket: string;
  readonly rosterPath: string | null;
  readonly intent: PlanIntent;
  /** How sessions are started and stopped, and why that backend. */
  readonly backend: Backend;
  readonly backendWhy: string;
  /** Ordered: dependencies first. Includes noops. */
  readonly changes: readonly ResourceChange[];
  readonly diagnostics: readonly PlanDiagnostic[];
  /** Hash of the observation the plan was made from; a saved plan is stale if it differs. */
  readonly observedFingerprint: string;
}
