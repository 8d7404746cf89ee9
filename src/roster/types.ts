import type { SessionIdentity } from "../spec/hash.js";

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
  readonly socket: string;
  /** Sorted by name. */
  readonly agents: readonly AgentSpec[];
  /** The roster's defaults with the product's filled in: for sessions no agent of the roster describes. */
  readonly defaults: { readonly stopGraceSeconds: number };
}

export const DEFAULT_SOCKET = "mosaic-factory";
export const HOLDER_SESSION = "_holder";
