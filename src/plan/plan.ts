import { createHash } from "node:crypto";
import type { ObservedFleet } from "../observe/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { canonicalJson } from "../identity/canonical-json.js";
import { agentUnit, agentOfUnit, HOLDER_UNIT, unitOfSession } from "../identity/units.js";
import { fileAddress, unitAddress } from "./addresses.js";
import { decideBackend, unitFilesInstalled } from "./backend.js";
import { installTargets, outdatedInstall } from "./install.js";
import { launchFileName, launchFileOwner, planLaunchFiles } from "./launch-files.js";
import { daemonReload, reloadNeeded } from "./manager.js";
import { ofAnotherRoster } from "./ownership.js";
import { ownRosterId } from "../identity/roster-id.js";
import { launchChecks } from "./launch-checks.js";
import { HOLDER_ADDRESS, planAgent, planHolder, type FleetContext } from "./session.js";
import { sessionSteps, type StepContext } from "./session-steps.js";
import { unitActive } from "./unit-state.js";
import { NO_INSTALL_SETTINGS, type PlanSettings } from "./settings.js";
import { planUnits } from "./units.js";
import { isApplied } from "./predicates.js";
import { globalLabelRemedy } from "../identity/session-label.js";
import { PLAN_FORMAT_VERSION, type Plan, type PlanDiagnostic, type PlanIntent, type ResourceChange, type SessionChange, type UnitChange } from "./types.js";

/**
 * The planner: a pure function of the roster, one observation, the intent
 * and the settings. No I/O, no clock, no randomness; names are visited in
 * sorted order, so equal inputs give byte-identical plans.
 *
 * Order of the result, which is also the order of its dependency edges:
 * launch files, daemon-reload, units (enablement, adoption), the holder's
 * session (agents need its server), agents' units that start while the
 * holder's session changes (starting one starts the holder's unit), agents
 * by name, any change that stops the agent this command runs in, the
 * holder's delete (the server goes with its last session), and last the
 * launch files of agents that were stopped (their unit's ExecStop read them).
 */
export function plan(desired: DesiredFleet, observed: ObservedFleet, intent: PlanIntent, settings: PlanSettings = NO_INSTALL_SETTINGS): Plan {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const agents = new Map(desired.agents.map((a) => [a.name, a]));
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

  const ctx: FleetContext = { socket: desired.socket, rosterId: ownRosterId(desired), rosterPaths: observed.host.rosterPaths, defaults: desired.defaults };
  const othersStay = observed.sessions.some((s) => ofAnotherRoster(s, ctx.rosterId));
  const unmanagedStay = observed.sessions.some((s) => !s.managed);
  let holder = planHolder(sessions.get(HOLDER_SESSION), ctx, intent, othersStay, diagnostics);
  let agentChanges: SessionChange[] = [];
  const names = [...new Set([...agents.keys(), ...sessions.keys()])].filter((n) => n !== HOLDER_SESSION).sort();
  for (const name of names) {
    const change = planAgent(name, agents.get(name), sessions.get(name), ctx, intent, diagnostics);
    if (change) agentChanges.push(change);
  }

  // The tool calls each session change makes, for the backend in use.
  const launchFile = (session: string) => launchFileOwner(observed, settings.layout, session, desired.socket, ctx.rosterId);
  // Agent units running another fleet's sessions require the holder's unit too: they stop and restart with it.
  const otherFleetUnits = Object.values(observed.systemd?.units ?? {}).some((u) => {
    const agent = agentOfUnit(u.name);
    return agent !== null && unitActive(observed.systemd, u.name) && launchFile(agent) === "another-fleet";
  });
  const stepCtx: StepContext = {
    backend: backend.backend,
    systemd: observed.systemd,
    sessionsBesideHolder: observed.sessions.some((s) => s.name !== HOLDER_SESSION) || otherFleetUnits,
    othersStay: othersStay || unmanagedStay || otherFleetUnits,
    agentPath: observed.host.agentPath,
    launchFile,
  };
  const withSteps = <C extends SessionChange>(c: C): C => ({ ...c, steps: sessionSteps(c, stepCtx) });
  holder = holder && withSteps(holder);
  agentChanges = deferCaller(agentChanges.map(withSteps), observed.host.callerPaneId);

  const systemd = backend.backend === "systemd";
  // Launch files are kept current whenever the units are installed, whatever the backend: they are what the units start at the next login.
  const launchFiles = unitFilesInstalled(observed, settings) && intent.target === "roster" ? planLaunchFiles(desired, observed, settings.layout, ctx.rosterId, diagnostics, systemd) : [];
  const launchWrites = launchFiles.filter((f) => f.action !== "delete");
  const launchDeletes = launchFiles.filter((f) => f.action === "delete");

  const reloadWhy = systemd ? reloadNeeded(observed, [HOLDER_UNIT]) : null;
  const manager = reloadWhy === null ? null : daemonReload(reloadWhy);

  const sessionChanges = new Map([...(holder ? [holder] : []), ...agentChanges].map((c) => [c.name, c]));
  const ownLaunchFiles = Object.keys(observed.files).flatMap((p) => {
    const name = launchFileName(settings.layout, p);
    return name !== null && launchFile(name) === "this-fleet" ? [name] : [];
  });
  const knownAgents = [...agentChanges.map((c) => c.name), ...ownLaunchFiles].filter((n) => n !== HOLDER_SESSION);
  const units = systemd ? planUnits({ desired, observed, intent, sessions: sessionChanges, knownAgents, othersStay: stepCtx.othersStay, launchFile }, diagnostics) : [];

  // What a unit call for session NAME needs first: the launch files its
  // unit and the holder's read, systemd having re-read the unit files,
  // and the unit's own enablement.
  const pending = new Set([...launchWrites, ...units].filter((c) => c.action !== "noop").map((c) => c.address));
  const ifPending = (...addresses: string[]) => [...new Set(addresses)].filter((a) => pending.has(a));
  const unitPrereqs = (name: string) => [...ifPending(fileAddress("file.launch", name), fileAddress("file.launch", HOLDER_SESSION)), ...(manager ? [manager.address] : [])];
  const viaSystemd = (c: SessionChange) => c.steps.some((s) => s.kind === "systemctl");
  const sessionDeps = (c: SessionChange) => (viaSystemd(c) ? [...unitPrereqs(c.name), ...ifPending(unitAddress(unitOfSession(c.name)))] : []);

  const changes: ResourceChange[] = [...launchWrites, ...(manager ? [manager] : [])];
  const holderFirst = holder !== null && holder.action !== "delete";
  // Starting an agent's unit starts the holder's too (Requires=), whose ExecStart refuses a holder session
  // that is dead, unlabelled or of another spec: such starts go after the holder's own change.
  const holderChanges = holder !== null && holderFirst && isApplied(holder);
  const waitsForHolder = (u: UnitChange) => holderChanges && u.name !== HOLDER_UNIT && u.steps.some((s) => s.kind === "systemctl" && s.verb === "start");
  const unitWithDeps = (u: UnitChange) => (u.action === "noop" ? u : { ...u, dependsOn: [...unitPrereqs(sessionOfUnit(u.name)), ...(waitsForHolder(u) ? [HOLDER_ADDRESS] : [])] });
  changes.push(...units.filter((u) => !waitsForHolder(u)).map(unitWithDeps));
  if (holder && holderFirst) changes.push({ ...holder, dependsOn: [...holder.dependsOn, ...sessionDeps(holder)] });
  changes.push(...units.filter(waitsForHolder).map(unitWithDeps));
  changes.push(
    ...agentChanges.map((c) => ({ ...c, dependsOn: [...c.dependsOn, ...sessionDeps(c), ...(holderFirst && c.after ? [HOLDER_ADDRESS] : [])] })),
  );
  if (holder && !holderFirst) {
    changes.push({ ...holder, dependsOn: [...sessionDeps(holder), ...agentChanges.filter((c) => c.action === "delete").map((c) => c.address)] });
  }
  // A launch file goes after its unit stopped and was disabled: the unit's ExecStop reads it.
  changes.push(...launchDeletes.map((f) => ({ ...f, dependsOn: changes.filter((c) => c.action !== "noop" && ((c.type === "tmux.session" && c.name === f.name) || (c.type === "systemd.unit" && c.name === agentUnit(f.name)))).map((c) => c.address) })));

  diagnostics.push(...launchChecks(changes, observed.host));
  if (systemd) diagnostics.push(...outdatedInstall(observed, installTargets(settings)));
  // Not using the units, this run still writes the launch files they start from at the next login:
  // an install older than this mosaic may not read them, which is worth a warning, not a refusal.
  else if (launchFiles.length > 0) diagnostics.push(...outdatedInstall(observed, installTargets(settings)).map((d) => ({ ...d, severity: "warning" as const })));
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

/** The session a fleet unit starts. */
function sessionOfUnit(unit: string): string {
  return agentOfUnit(unit) ?? HOLDER_SESSION;
}

/**
 * A change that stops the pane this command runs in would end the command
 * halfway: it goes last, after every other change, and says so.
 */
function deferCaller(changes: SessionChange[], callerPaneId: string | null): SessionChange[] {
  if (callerPaneId === null) return changes;
  const isCaller = (c: SessionChange) => c.before?.pane?.id === callerPaneId && (c.action === "replace" || c.action === "delete") && !c.held;
  const caller = changes.filter(isCaller);
  if (caller.length === 0) return changes;
  const others = changes.filter((c) => !isCaller(c));
  const before = others.filter((c) => c.action !== "noop" && !c.held).map((c) => c.address);
  return [...others, ...caller.map((c) => ({ ...c, runsCaller: true, dependsOn: [...c.dependsOn, ...before] }))];
}

/**
 * Hash of the observation. An empty world has one too, so a plan saved
 * from nothing is refused once something has appeared.
 */
export function fingerprint(observed: ObservedFleet): string {
  const units = observed.systemd === null ? null : Object.values(observed.systemd.units).sort((a, b) => (a.name < b.name ? -1 : 1)).map((u) => [u.name, u.loadState, u.activeState, u.unitFileState, u.needDaemonReload]);
  const files = Object.entries(observed.files).sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, f]) => [path, f.kind, f.kind === "file" ? [createHash("sha256").update(f.content).digest("hex"), f.mode] : null]);
  const doc = {
    socket: observed.socket,
    server: observed.serverRunning,
    sessions: observed.sessions.map((s) => [s.name, s.managed, s.specHash, s.pane?.id ?? null, s.pane?.pid ?? null, s.pane?.dead ?? null, s.paneCount, s.createdAt]),
    ...(units === null ? {} : { units }),
    ...(files.length === 0 ? {} : { files }),
  };
  return `sha256:${createHash("sha256").update(canonicalJson(doc)).digest("hex")}`;
}

