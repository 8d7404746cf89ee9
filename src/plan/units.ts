import type { ObservedFleet, ObservedSystemd } from "../observe/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { agentOfUnit, agentUnit, HOLDER_UNIT } from "../identity/units.js";
import { unitAddress } from "./addresses.js";
import type { LaunchFileOwner } from "./launch-files.js";
import { unitActive, unitEnabled, UNSEEN_STATE } from "./unit-state.js";
import type { PlanDiagnostic, PlanIntent, PlanReason, PlanStep, SessionChange, UnitBefore, UnitChange } from "./types.js";


export interface UnitContext {
  readonly desired: DesiredFleet;
  readonly observed: ObservedFleet;
  readonly intent: PlanIntent;
  /** This plan's session changes, by session name: a unit's activity they carry out is theirs. */
  readonly sessions: ReadonlyMap<string, SessionChange>;
  /** Agents with evidence of a unit of this fleet: a managed session, a launch file. */
  readonly knownAgents: readonly string[];
  /** Sessions the plan must leave running (unmanaged, another roster's, another fleet's agents): the holder's unit must not stop under them. */
  readonly othersStay: boolean;
  /** Whose launch file a session's unit reads now. */
  readonly launchFile: (session: string) => LaunchFileOwner;
}

/**
 * The planner for the fleet's units (systemd backend): enablement and
 * activity. Enabled roster agents and the holder are enabled, so the fleet
 * comes back at login or boot; disabled and removed agents are disabled.
 * A stop changes no enablement. Activity a session change carries out
 * (start, restart, stop through the unit) is not repeated here: a unit
 * change is what remains, adopting a session that runs in sync (starting
 * its unit leaves it alone) or stopping a unit whose session is gone.
 */
export function planUnits(ctx: UnitContext, diagnostics: PlanDiagnostic[]): UnitChange[] {
  const systemd = ctx.observed.systemd;
  const roster = new Map(ctx.desired.agents.map((a) => [a.name, a]));
  const names = [...new Set([...roster.keys(), ...ctx.knownAgents])].sort();
  const out: UnitChange[] = [];
  const toRoster = ctx.intent.target === "roster";

  // A unit whose launch file is another fleet's runs that fleet's session: this roster leaves it alone
  // unless it wants the name itself (then it is a plan error while the unit runs, launch-files.ts).
  const theirs = (session: string, wanted: boolean) => !wanted && ctx.launchFile(session) === "another-fleet";

  const holder = ctx.sessions.get(HOLDER_SESSION);
  const holderObserved = ctx.observed.sessions.some((s) => s.name === HOLDER_SESSION);
  const holderStaysUp = !toRoster && ctx.othersStay && unitActive(systemd, HOLDER_UNIT);
  if (!theirs(HOLDER_SESSION, toRoster)) {
    if (holderStaysUp) {
      diagnostics.push({ severity: "warning", code: "other-roster", address: unitAddress(HOLDER_UNIT), message: `${HOLDER_UNIT} stays active: stopping it would end sessions that are not this roster's to stop (every session on the fleet's tmux server goes with it, and the agents of every unit that requires it)` });
    }
    out.push(unitChange(HOLDER_UNIT, systemd, { enabled: toRoster ? true : null, active: holderStaysUp ? null : toRoster }, holder, holderObserved, diagnostics));
  }
  if (toRoster && systemd !== null && !unitActive(systemd, HOLDER_UNIT) && holderObserved && holder?.steps.length === 0) {
    diagnostics.push({
      severity: "warning",
      code: "server-outside-units",
      address: unitAddress(HOLDER_UNIT),
      message: `the fleet's tmux server was started outside systemd; starting ${HOLDER_UNIT} adopts it without a restart, but the server and every agent stay outside the unit, so they stop with your login session where logind ends a session's processes. A \`mosaic fleet stop\` and \`mosaic fleet start\` when convenient moves them under the unit`,
    });
  }
  for (const name of names) {
    const agent = roster.get(name);
    const wanted = agent !== undefined && agent.enabled;
    if (theirs(name, toRoster && wanted)) continue;
    const session = ctx.sessions.get(name);
    // Any session of the name, as for the holder: a unit's ExecStop must never be aimed at one mosaic did not make.
    const observed = ctx.observed.sessions.some((s) => s.name === name);
    out.push(unitChange(agentUnit(name), systemd, { enabled: toRoster ? wanted : null, active: toRoster && wanted }, session, observed, diagnostics));
  }
  if (toRoster) diagnostics.push(...staleUnitsOfAnotherFleet(ctx, roster));
  return out;
}

/**
 * One unit's change. `want.enabled` null: leave enablement alone;
 * `want.active` null: leave activity alone. `session` is the session's
 * change in this plan, if any; `sessionExists` whether tmux shows it now.
 */
function unitChange(
  unit: string,
  systemd: ObservedSystemd | null,
  want: { enabled: boolean | null; active: boolean | null },
  session: SessionChange | undefined,
  sessionExists: boolean,
  diagnostics: PlanDiagnostic[],
): UnitChange {
  const obs = systemd?.units[unit];
  // Where no manager was asked, say so rather than show a state nobody saw.
  const unseen = systemd === null ? UNSEEN_STATE : undefined;
  const before: UnitBefore = { loadState: unseen ?? obs?.loadState ?? "not-found", activeState: unseen ?? obs?.activeState ?? "inactive", subState: unseen ?? obs?.subState ?? "dead", unitFileState: unseen ?? obs?.unitFileState ?? "" };
  if (before.loadState === "masked" && (want.enabled === true || want.active === true)) {
    diagnostics.push({ severity: "error", code: "unit-masked", address: unitAddress(unit), message: `${unit} is masked, so systemd will neither enable nor start it; unmask it (systemctl --user unmask ${unit}) or disable the agent in the roster` });
    const base = { address: unitAddress(unit), type: "systemd.unit", name: unit, held: false, before, after: { enabled: false, active: false }, dependsOn: [], runsCaller: false } as const;
    return { ...base, action: "noop", reason: "in-sync", message: "masked", steps: [] };
  }
  const enabled = unitEnabled(systemd, unit);
  const active = unitActive(systemd, unit);
  const steps: PlanStep[] = [];
  const reasons: [PlanReason, string][] = [];
  if (want.enabled === true && !enabled) {
    steps.push({ kind: "systemctl", verb: "enable", unit, launches: null });
    reasons.push(["enable-wanted", "not enabled, so it would not start at login or boot"]);
  } else if (want.enabled === false && enabled) {
    steps.push({ kind: "systemctl", verb: "disable", unit, launches: null });
    reasons.push(["disable-wanted", "enabled, but the roster does not run it"]);
  }
  const carried = session !== undefined && session.steps.some((s) => s.kind === "systemctl" || s.kind === "tmux.launch" || s.kind === "tmux.stop");
  const held = session?.held === true;
  if (!carried && !held && want.active !== null) {
    if (want.active && !active && sessionExists) {
      steps.push({ kind: "systemctl", verb: "start", unit, launches: null });
      reasons.push(["unit-inactive", "its session runs as the roster says; starting the unit adopts it and leaves the session alone"]);
    } else if (!want.active && active && !sessionExists) {
      steps.push({ kind: "systemctl", verb: "stop", unit, launches: null });
      reasons.push(["unit-without-session", "active, but the session it started is gone"]);
    }
  }
  const after = { enabled: want.enabled ?? enabled, active: want.active ?? active };
  const base = { address: unitAddress(unit), type: "systemd.unit", name: unit, held: false, before, after, dependsOn: [], runsCaller: false } as const;
  if (steps.length === 0) return { ...base, action: "noop", reason: "in-sync", message: describe(before), steps };
  return { ...base, action: "update", reason: reasons[0]![0], message: reasons.map((r) => r[1]).join("; "), steps };
}

function describe(b: UnitBefore): string {
  return `${b.activeState} (${b.subState}), ${b.unitFileState || "no unit file"}`;
}


/**
 * Enabled units of agents another fleet's launch files name, while that
 * fleet is not running: the user moved to this fleet (another socket or
 * roster). They are not this roster's to disable, but at the next login
 * they start and fail, since the holder's unit now runs this fleet: said.
 */
function staleUnitsOfAnotherFleet(ctx: UnitContext, roster: ReadonlyMap<string, unknown>): PlanDiagnostic[] {
  const systemd = ctx.observed.systemd;
  if (systemd === null) return [];
  const stale = Object.keys(systemd.units)
    .filter((u) => {
      const agent = agentOfUnit(u);
      return agent !== null && !roster.has(agent) && ctx.launchFile(agent) === "another-fleet" && unitEnabled(systemd, u) && !unitActive(systemd, u);
    })
    .sort();
  if (stale.length === 0) return [];
  return [
    {
      severity: "warning",
      code: "other-fleet-units",
      message: `${stale.length === 1 ? "an enabled unit starts an agent" : `${stale.length} enabled units start agents`} of another fleet that is not running (${stale.join(", ")}); at the next login ${stale.length === 1 ? "it fails" : "they fail"}, since the fleet's units now run this one. If that fleet is gone: systemctl --user disable ${stale.join(" ")}`,
    },
  ];
}
