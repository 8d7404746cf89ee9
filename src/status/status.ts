import { describeDeadPane } from "../observe/exit-status.js";
import type { ObservedTmux } from "../observe/types.js";
import { sessionAddress, unitAddress } from "../plan/addresses.js";
import { ofAnotherRoster } from "../plan/ownership.js";
import { ownRosterId } from "../identity/roster-id.js";
import { isApplied } from "../plan/predicates.js";
import type { Plan, PlanDiagnosticCode, PlanReason } from "../plan/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { unitOfSession } from "../identity/units.js";

export interface SessionStatus {
  readonly name: string;
  readonly role: "holder" | "agent";
  /** In the roster and enabled (holder: always, while the fleet runs). */
  readonly wanted: boolean;
  readonly inRoster: boolean;
  /** A session of this name is on the socket, whoever made it. */
  readonly session: boolean;
  /** ...and mosaic made it for this roster. Only then are the pane fields below filled in. */
  readonly managed: boolean;
  /** ...or mosaic made it for another roster sharing the socket. */
  readonly otherRoster: boolean;
  readonly alive: boolean;
  /** How a dead agent pane ended, as far as tmux knows yet; null while it lives. */
  readonly dead: { readonly status: number | null; readonly signal: number | null } | null;
  readonly pid: number | null;
  readonly paneId: string | null;
  /** The process name tmux shows in the pane (the agent's to choose). */
  readonly command: string | null;
  /** The command the roster runs there, as the roster names it; null for a session the roster does not describe. */
  readonly rosterCommand: string | null;
  readonly uptimeSeconds: number | null;
  /** Why the next apply would change it, or what keeps it from doing so; null when in sync. */
  readonly drift: PlanReason | PlanDiagnosticCode | null;
  readonly held: boolean;
  /** Under systemd, its unit as systemd reports it ("active (exited), enabled"); null under the direct backend. */
  readonly unit: string | null;
  /** Under systemd, the unit's name when systemd reports it failed: its journal says why. */
  readonly failedUnit: string | null;
}

/**
 * One row per holder, roster agent and managed session, from the same
 * observation and plan `fleet plan` uses. `now` (Unix seconds) is passed
 * in, keeping this pure.
 */
export function fleetStatus(desired: DesiredFleet, observed: ObservedTmux, plan: Plan, now: number): SessionStatus[] {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const agents = new Map(desired.agents.map((a) => [a.name, a]));
  const changes = new Map(plan.changes.map((c) => [c.address, c]));
  const blocked = new Map(plan.diagnostics.filter((d) => d.severity === "error" && d.address).map((d) => [d.address!, d.code]));
  const ownId = ownRosterId(desired);
  const names = new Set<string>([HOLDER_SESSION, ...agents.keys()]);
  for (const s of observed.sessions) if (s.managed && !ofAnotherRoster(s, ownId)) names.add(s.name);

  return [...names].sort().map((name) => {
    const agent = agents.get(name);
    const s = sessions.get(name);
    const mine = s && s.managed && !ofAnotherRoster(s, ownId) ? s : undefined;
    const pane = mine?.pane ?? null;
    const address = sessionAddress(name);
    const change = changes.get(address);
    const holder = name === HOLDER_SESSION;
    const unit = changes.get(unitAddress(unitOfSession(name)));
    const unitDrift = unit && isApplied(unit) ? unit.reason : null;
    return {
      name,
      role: holder ? "holder" : "agent",
      wanted: holder || (agent?.enabled ?? false),
      inRoster: holder || agent !== undefined,
      session: s !== undefined,
      managed: mine !== undefined,
      otherRoster: s !== undefined && ofAnotherRoster(s, ownId),
      alive: pane !== null && !pane.dead,
      dead: pane?.dead ? { status: pane.deadStatus, signal: pane.deadSignal } : null,
      pid: pane && !pane.dead ? pane.pid : null,
      paneId: pane?.id ?? null,
      command: pane?.currentCommand ?? null,
      rosterCommand: holder ? null : (agent?.command ?? null),
      uptimeSeconds: mine ? Math.max(0, now - mine.createdAt) : null,
      drift: change && (isApplied(change) || change.held) ? change.reason : (blocked.get(address) ?? unitDrift),
      held: change?.held ?? false,
      unit: unit?.type === "systemd.unit" ? `${unit.before.activeState} (${unit.before.subState}), ${unit.before.unitFileState || "no unit file"}` : null,
      failedUnit: unit?.type === "systemd.unit" && unit.before.activeState === "failed" ? unit.name : null,
    };
  });
}

/** A failed unit of the fleet, with what the journal says of it: its last lines, or why they could not be read. */
export interface UnitFailure {
  readonly unit: string;
  /** systemd's Result (exit-code, timeout, ...), when known. */
  readonly result: string | null;
  readonly lines: readonly { readonly at: number; readonly identifier: string; readonly pid: number | null; readonly message: string }[];
  readonly problem: string | null;
}

export interface VerifyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly problem: string | null;
}

/**
 * Liveness evidence, not unit state: for the holder and each enabled agent,
 * a session of exactly that name, made by mosaic, whose own pane is alive.
 * Any line of tmux output it could not read fails the check: verify never
 * vouches for what it could not see.
 */
export function verifyFleet(desired: DesiredFleet, observed: ObservedTmux): VerifyCheck[] {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const names = [HOLDER_SESSION, ...desired.agents.filter((a) => a.enabled).map((a) => a.name)];
  const ownId = ownRosterId(desired);
  const checks: VerifyCheck[] = names.map((name) => {
    const s = sessions.get(name);
    let problem: string | null = null;
    if (!observed.serverRunning) problem = `no tmux server on socket "${desired.socket}"`;
    else if (!s) problem = `no session "${name}" on socket "${desired.socket}"`;
    else if (!s.managed) problem = `session "${name}" exists but was not made by mosaic`;
    else if (ofAnotherRoster(s, ownId)) problem = `session "${name}" belongs to another roster`;
    else if (!s.pane) problem = s.paneRecorded ? "the agent's own pane is gone" : `cannot tell which of its ${s.paneCount} panes is the agent's`;
    else if (s.pane.dead) problem = `the pane is dead${describeDeadPane(s.pane) ? `: ${s.pane.deadSignal !== null ? "ended by" : "exit"} ${describeDeadPane(s.pane)}` : ""}`;
    return { name, ok: problem === null, problem };
  });
  if (observed.unreadable.length > 0) {
    checks.push({ name: "(tmux output)", ok: false, problem: `${observed.unreadable.length} line(s) of tmux output could not be read` });
  }
  for (const label of observed.globalLabels) {
    checks.push({ name: "(labels)", ok: false, problem: `${label} is set for every session at once on socket "${desired.socket}", so no session's label can be trusted` });
  }
  return checks;
}
