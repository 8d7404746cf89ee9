import type { SessionIdentity } from "../identity/hash.js";

/**
 * How the fleet's sessions are started and stopped: `systemd` through the
 * user units (`mosaic-agent@NAME.service`, the holder unit), `direct` by
 * mosaic itself, `auto` through systemd when a user manager answers and the
 * fleet's units are installed, else directly. The roster's `backend`, or
 * `--backend` for one run. The same list as the schema's enum (a test holds
 * them equal).
 */
export const BACKEND_CHOICES = ["auto", "systemd", "direct"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export const DEFAULT_BACKEND: BackendChoice = "auto";

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

/** What happens when a running agent's spec no longer matches the roster. */
export type SpecChangePolicy = "replace" | "hold";

export interface SubmitSettings {
  /** tmux key name pressed after the message text. */
  readonly key: string;
  readonly settleMs: number;
}

/** One agent as the roster wants it, with defaults applied and paths resolved. */
export interface AgentSpec extends SessionIdentity {
  readonly name: string;
  readonly enabled: boolean;
  readonly onSpecChange: SpecChangePolicy;
  readonly stopGraceSeconds: number;
  /**
   * After a launch, the agent counts as started once its pane is still
   * alive this many seconds later (0: do not wait). Not part of the spec
   * hash: how long to watch a launch is not what runs.
   */
  readonly readyAfterSeconds: number;
  readonly submit: SubmitSettings;
  /** specHash() of this spec, computed once at load time. */
  readonly specHash: string;
}

/** The roster, validated and normalised: the planner's "should exist". */
export interface DesiredFleet {
  /** null for a fleet named by `--socket` alone (a stop that needs no roster). */
  readonly rosterPath: string | null;
  /**
   * The roster file itself when `rosterPath` reaches it through a symbolic
   * link: a roster's identity (rosterIdentityPath), so the link and the
   * file are one roster. Absent when they are the same path.
   */
  readonly rosterRealPath?: string;
  readonly socket: string;
  /** The roster's `backend` (default `auto`); a run's `--backend` overrides it (FleetCommand.backendChoice). */
  readonly backend: BackendChoice;
  /** Sorted by name. */
  readonly agents: readonly AgentSpec[];
  /** The roster's defaults with the product's filled in: for sessions no agent of the roster describes. */
  readonly defaults: { readonly stopGraceSeconds: number };
}

export const DEFAULT_SOCKET = "mosaic-factory";
export const HOLDER_SESSION = "_holder";
