import { describeExitStatus } from "../observe/exit-status.js";
import type { ObservedFleet } from "../observe/types.js";
import { sessionAddress } from "../plan/addresses.js";
import { isApplied } from "../plan/predicates.js";
import type { Plan, PlanReason } from "../plan/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";

export interface SessionStatus {
  readonly name: string;
  readonly role: "holder" | "agent";
  /** In the roster and enabled (holder: always, while the fleet runs). */
  readonly wanted: boolean;
  readonly inRoster: boolean;
  readonly session: boolean;
  readonly alive: boolean;
  readonly deadStatus: number | null;
  readonly pid: number | null;
  readonly command: string | null;
  readonly uptimeSeconds: number | null;
  /** Why the next apply would change it, or null when in sync. */
  readonly drift: PlanReason | null;
  readonly held: boolean;
}

/**
 * One row per holder, roster agent and managed session, from the same
 * observation and plan `fleet plan` uses. `now` (Unix seconds) is passed
 * in, keeping this pure.
 */
export function fleetStatus(desired: DesiredFleet, observed: ObservedFleet, plan: Plan, now: number): SessionStatus[] {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const agents = new Map(desired.agents.map((a) => [a.name, a]));
  const changes = new Map(plan.changes.map((c) => [c.address, c]));
  const names = new Set<string>([HOLDER_SESSION, ...agents.keys()]);
  for (const s of observed.sessions) if (s.managed) names.add(s.name);

  return [...names].sort().map((name) => {
    const agent = agents.get(name);
    const s = sessions.get(name);
    const mine = s && s.managed ? s : undefined;
    const change = changes.get(sessionAddress(name));
    const holder = name === HOLDER_SESSION;
    return {
      name,
      role: holder ? "holder" : "agent",
      wanted: holder || (agent?.enabled ?? false),
      inRoster: holder || agent !== undefined,
      session: mine !== undefined,
      alive: mine !== undefined && !mine.pane.dead,
      deadStatus: mine?.pane.deadStatus ?? null,
      pid: mine && !mine.pane.dead ? mine.pane.pid : null,
      command: mine?.pane.currentCommand ?? null,
      uptimeSeconds: mine ? Math.max(0, now - mine.createdAt) : null,
      drift: change && (isApplied(change) || change.held) ? change.reason : null,
      held: change?.held ?? false,
    };
  });
}

export interface VerifyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly problem: string | null;
}

/**
 * Liveness evidence, not unit state: for the holder and each enabled agent,
 * a session of exactly that name, made by mosaic, whose pane is alive.
 */
export function verifyFleet(desired: DesiredFleet, observed: ObservedFleet): VerifyCheck[] {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const names = [HOLDER_SESSION, ...desired.agents.filter((a) => a.enabled).map((a) => a.name)];
  return names.map((name) => {
    const s = sessions.get(name);
    let problem: string | null = null;
    if (!observed.serverRunning) problem = `no tmux server on socket "${desired.socket}"`;
    else if (!s) problem = `no session "${name}" on socket "${desired.socket}"`;
    else if (!s.managed) problem = `session "${name}" exists but was not made by mosaic`;
    else if (s.pane.dead) problem = `the pane is dead${s.pane.deadStatus === null ? "" : `: exit ${describeExitStatus(s.pane.deadStatus)}`}`;
    return { name, ok: problem === null, problem };
  });
}
