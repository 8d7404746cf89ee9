import type { ObservedFleet } from "../../observe/types.js";
import type { DesiredFleet } from "../../roster/types.js";
import type { LaunchFileOwner } from "../launch-files.js";
import type { FleetContext } from "../session.js";
import type { PlanSettings } from "../settings.js";
import type { Backend, FileChange, FileType, PlanDiagnostic, PlanIntent, ResourceChange, ResourceType } from "../types.js";

/**
 * The contract every resource kind keeps in the planner, one module a kind
 * under src/plan/kinds/ (its views are the render stage's: src/render/kinds/).
 * A kind says what of the observation it reads (its facts: the only input
 * of the fingerprint saved plans are checked against), how it plans, and
 * what its changes wait for (edges, as data). The registry (index.ts) is a
 * mapped type over ResourceType, so a kind added there without all of this
 * does not compile.
 */
export interface ResourceKind<K extends ResourceType> {
  readonly type: K;
  /**
   * Everything of the observation this kind's changes are made from, as
   * plain data by subject (`session "alpha"`, `file "/path"`): the same
   * facts give the same changes. Pure. A saved plan is stale exactly when
   * one of them differs.
   */
  readonly facts: (observed: ObservedFleet) => KindFacts;
  /** A saved plan's refusal, one line: `session "alpha" is gone`. */
  readonly describeFact: (subject: string, change: FactChange) => string;
  /** Its changes in a fleet plan, in the order it visits them; dependsOn is left empty, for the edges. */
  readonly plan: (ctx: FleetPlanning) => readonly ChangeOf<K>[];
  /** The kinds its changes may wait for: the only targets of `edges`. */
  readonly dependsOn: readonly ResourceType[];
  /** What one of its changes waits for: addresses of other changes of the plan, in the order shown. */
  readonly edges: (change: ChangeOf<K>, plan: PlannedChanges) => readonly string[];
  /** Where the change stands among those its edges leave free. */
  readonly phase: (change: ChangeOf<K>) => Phase;
  /**
   * The roster agent a change is part of (its session, its unit, its
   * launch file), or null for the fleet's own (the holder, installed
   * files, the manager): what a plan groups by agent, and what
   * `--agent NAME` limits it to.
   */
  readonly agent: (change: ChangeOf<K>) => string | null;
  /** Whether what the change shows as it is now was observed: a plan that shows a state nobody saw is not complete. */
  readonly seen: (change: ChangeOf<K>) => boolean;
}

/** The member of ResourceChange whose type is K (the three file kinds share FileChange). */
export type ChangeOf<K extends ResourceType> = K extends FileType ? FileChange<K> : Extract<ResourceChange, { readonly type: K }>;

/** Plain JSON: a fact hashes the same wherever and whenever it is computed. */
export type FactValue = string | number | boolean | null | readonly FactValue[] | { readonly [key: string]: FactValue };

/** One kind's facts by subject; a subject absent is a thing not there. */
export type KindFacts = Readonly<Record<string, FactValue>>;

export type FactChange = "appeared" | "gone" | "changed";

/** The words most facts change in: `file "/x" changed`. */
export function describeFactChange(subject: string, change: FactChange): string {
  return `${subject} ${change === "gone" ? "is gone" : change}`;
}

/**
 * The order a plan reads in where edges leave it free: what other
 * resources read is written first, systemd re-reads its unit files, units,
 * sessions, and what was read to stop something is removed last.
 */
export const PHASES = ["write", "reload", "units", "sessions", "remove"] as const;
export type Phase = (typeof PHASES)[number];

/** The changes a plan holds, for kinds to find what their own changes wait for. */
export interface PlannedChanges {
  /** The change at an address, if the plan has one. */
  readonly at: (address: string) => ResourceChange | undefined;
  /** A kind's changes, in the order its planner made them. */
  readonly of: <K extends ResourceType>(type: K) => readonly ChangeOf<K>[];
}

/** What every kind's fleet planner reads: the inputs, and what is decided once for all kinds. */
export interface FleetPlanning {
  readonly desired: DesiredFleet;
  readonly observed: ObservedFleet;
  readonly intent: PlanIntent;
  readonly settings: PlanSettings;
  readonly backend: Backend;
  readonly fleet: FleetContext;
  /** Whose launch file a session's unit reads now. */
  readonly launchFile: (session: string) => LaunchFileOwner;
  /** Agent units that run another fleet's sessions: they require the holder's unit, so stop and restart with it. */
  readonly otherFleetUnits: boolean;
  /** Sessions another roster made run on the socket: the holder stays for them. */
  readonly otherRosterStays: boolean;
  /** Sessions the plan must leave running (unmanaged, another roster's, another fleet's agents): the holder's unit must not stop under them. */
  readonly othersStay: boolean;
  /** Where planners say what they refuse or warn of, in the order they plan. */
  readonly diagnostics: PlanDiagnostic[];
  /** The changes of a kind planned before this one (PLANNING_ORDER). */
  readonly planned: <K extends ResourceType>(type: K) => readonly ChangeOf<K>[];
}
