import type { ObservedFleet } from "../observe/types.js";
import type { DesiredFleet } from "../roster/types.js";
import { agentOfUnit } from "../identity/units.js";
import { decideBackend, type BackendDecision } from "./backend.js";
import { installTargets, outdatedInstall, staleDriftCheck } from "./install.js";
import { launchFileOwner } from "./launch-files.js";
import { ofAnotherRoster } from "./ownership.js";
import { ownRosterId } from "../identity/roster-id.js";
import { launchChecks } from "./launch-checks.js";
import { limitToAgents } from "./agents.js";
import { unitActive } from "./unit-state.js";
import { NO_INSTALL_SETTINGS, type PlanSettings } from "./settings.js";
import { globalLabelRemedy } from "../identity/session-label.js";
import { kindOf, PLANNING_ORDER } from "./kinds/index.js";
import type { ChangeOf, FleetPlanning } from "./kinds/kind.js";
import { linkChanges } from "./kinds/order.js";
import { fingerprint } from "./fingerprint.js";
import { PLAN_FORMAT_VERSION, type Plan, type PlanDiagnostic, type PlanIntent, type ResourceChange, type ResourceType } from "./types.js";

/**
 * The planner: a pure function of the roster, one observation, the intent
 * and the settings. No I/O, no clock, no randomness; names are visited in
 * sorted order, so equal inputs give byte-identical plans.
 *
 * Each resource kind plans its own changes (src/plan/kinds/, in
 * PLANNING_ORDER) and says what each waits for; the changes are then
 * ordered by those edges (kinds/order.ts): launch files, daemon-reload,
 * units, the holder's session (agents need its server), agents' units
 * that start while the holder's session changes (starting one starts the
 * holder's unit), agents by name, any change that stops the agent this
 * command runs in, the holder's delete (the server goes with its last
 * session), and last the launch files of agents that were stopped (their
 * unit's ExecStop read them).
 */
export function plan(desired: DesiredFleet, observed: ObservedFleet, intent: PlanIntent, settings: PlanSettings = NO_INSTALL_SETTINGS): Plan {
  const diagnostics: PlanDiagnostic[] = observed.unreadable.map((row) => ({
    severity: "error",
    code: "unreadable-row",
    message: `could not read this line of tmux output, so the plan cannot vouch for the fleet: ${JSON.stringify(row)}`,
  }));
  for (const name of observed.globalLabels) {
    diagnostics.push({
      severity: "error",
      code: "global-label",
      message: `the label option ${name} is set for every session at once on socket "${observed.socket}" (set-option -s, -g or -gw), so tmux shows it as the label of sessions mosaic never made; no label can be trusted while it is there. Remove it with: ${globalLabelRemedy(observed.socket, name)}`,
    });
  }
  const backend = decideBackend(observed, settings);
  diagnostics.push(...backend.diagnostics);

  const all = linkChanges(planKinds(fleetPlanning(desired, observed, intent, settings, backend, diagnostics)));
  const changes = intent.only === undefined ? all : limitToAgents(all, intent.only);

  diagnostics.push(...launchChecks(changes, observed.host), ...staleDriftCheck(observed));
  if (backend.backend === "systemd") diagnostics.push(...outdatedInstall(observed, installTargets(settings)));
  // Not using the units, this run still writes the launch files they start from at the next login:
  // an install older than this mosaic may not read them, which is worth a warning, not a refusal.
  else if (changes.some((c) => c.type === "file.launch")) diagnostics.push(...outdatedInstall(observed, installTargets(settings)).map((d) => ({ ...d, severity: "warning" as const })));
  for (const previous of observed.host.previousSockets) {
    const n = previous.managedSessions.length;
    diagnostics.push({
      severity: "warning",
      code: "previous-socket",
      message: `this roster was last applied on socket "${previous.socket}", where ${n} ${n === 1 ? "session" : "sessions"} made by mosaic still ${n === 1 ? "runs" : "run"} (${previous.managedSessions.join(", ")}); nothing manages them now. Stop them with: mosaic fleet stop --socket ${previous.socket}`,
    });
  }

  return {
    formatVersion: PLAN_FORMAT_VERSION,
    socket: desired.socket,
    rosterPath: desired.rosterPath,
    intent,
    backend: backend.backend,
    backendWhy: backend.why,
    changes,
    diagnostics,
    observedFingerprint: fingerprint(observed),
  };
}

/** What every kind's planner reads, decided once. */
function fleetPlanning(desired: DesiredFleet, observed: ObservedFleet, intent: PlanIntent, settings: PlanSettings, backend: BackendDecision, diagnostics: PlanDiagnostic[]): Omit<FleetPlanning, "planned"> {
  const fleet = { socket: desired.socket, rosterId: ownRosterId(desired), rosterPaths: observed.host.rosterPaths, defaults: desired.defaults };
  const launchFile = (session: string) => launchFileOwner(observed, settings.layout, session, desired.socket, fleet.rosterId);
  const otherRosterStays = observed.sessions.some((s) => ofAnotherRoster(s, fleet.rosterId));
  const unmanagedStay = observed.sessions.some((s) => !s.managed);
  const otherFleetUnits = Object.values(observed.systemd?.units ?? {}).some((u) => {
    const agent = agentOfUnit(u.name);
    return agent !== null && unitActive(observed.systemd, u.name) && launchFile(agent) === "another-fleet";
  });
  return {
    desired,
    observed,
    intent,
    settings,
    backend: backend.backend,
    fleet,
    launchFile,
    otherFleetUnits,
    otherRosterStays,
    othersStay: otherRosterStays || unmanagedStay || otherFleetUnits,
    diagnostics,
  };
}

/** Every kind's changes, planned in PLANNING_ORDER, each kind reading those planned before it. */
function planKinds(base: Omit<FleetPlanning, "planned">): ResourceChange[] {
  const done = new Map<ResourceType, readonly ResourceChange[]>();
  const planned = <K extends ResourceType>(type: K): readonly ChangeOf<K>[] => {
    const changes = done.get(type);
    if (changes === undefined) throw new Error(`${type} is read before it is planned: see PLANNING_ORDER`);
    return changes as readonly ChangeOf<K>[];
  };
  const ctx: FleetPlanning = { ...base, planned };
  for (const type of PLANNING_ORDER) done.set(type, kindOf(type).plan(ctx));
  return PLANNING_ORDER.flatMap((type) => done.get(type)!);
}
