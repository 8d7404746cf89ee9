import { HOLDER_SESSION } from "../../roster/types.js";
import { agentOfUnit, HOLDER_UNIT } from "../../identity/units.js";
import { safeJsonString } from "../../text/safe-text.js";
import { fileAddress, MANAGER_ADDRESS } from "../addresses.js";
import { launchFileName } from "../launch-files.js";
import { isApplied } from "../predicates.js";
import { HOLDER_ADDRESS } from "../session.js";
import { planUnits } from "../units.js";
import { UNSEEN_STATE } from "../unit-state.js";
import type { UnitChange } from "../types.js";
import { describeFactChange, type FactValue, type PlannedChanges, type ResourceKind } from "./kind.js";

/** The fleet's units (systemd backend): enablement and activity. The decisions are units.ts's. */
export const systemdUnit: ResourceKind<"systemd.unit"> = {
  type: "systemd.unit",

  /** systemd's words for each unit it reported, in the one `systemctl --user show` call. */
  facts: (observed) => {
    const out: Record<string, FactValue> = {};
    for (const [key, u] of Object.entries(observed.systemd?.units ?? {})) {
      out[`unit ${safeJsonString(key)}`] = { name: u.name, load: u.loadState, active: u.activeState, sub: u.subState, unitFile: u.unitFileState, needReload: u.needDaemonReload };
    }
    return out;
  },
  describeFact: describeFactChange,

  plan: (ctx) => {
    if (ctx.backend !== "systemd") return [];
    const sessions = ctx.planned("tmux.session");
    // Agents with evidence of a unit of this fleet: a session change, or a launch file of this fleet's.
    const ownLaunchFiles = Object.keys(ctx.observed.files).flatMap((p) => {
      const name = launchFileName(ctx.settings.layout, p);
      return name !== null && ctx.launchFile(name) === "this-fleet" ? [name] : [];
    });
    const knownAgents = [...sessions.map((c) => c.name), ...ownLaunchFiles].filter((n) => n !== HOLDER_SESSION);
    return planUnits(
      { desired: ctx.desired, observed: ctx.observed, intent: ctx.intent, sessions: new Map(sessions.map((c) => [c.name, c])), knownAgents, othersStay: ctx.othersStay, launchFile: ctx.launchFile },
      ctx.diagnostics,
    );
  },

  dependsOn: ["file.launch", "systemd.manager", "tmux.session"],
  edges: (u, plan) => (u.action === "noop" ? [] : [...unitPrereqs(sessionOfUnit(u.name), plan), ...(waitsForHolder(u, plan) ? [HOLDER_ADDRESS] : [])]),
  phase: () => "units",
  agent: (u) => agentOfUnit(u.name),
  seen: (u) => u.before.loadState !== UNSEEN_STATE,
};

/**
 * What a unit call for session NAME needs first: the launch files its unit
 * and the holder's read, written, and systemd having re-read the unit files.
 */
export function unitPrereqs(session: string, plan: PlannedChanges): string[] {
  const written = (address: string) => {
    const c = plan.at(address);
    return c !== undefined && (c.action === "create" || c.action === "update");
  };
  const launchFiles = [...new Set([fileAddress("file.launch", session), fileAddress("file.launch", HOLDER_SESSION)])].filter(written);
  return [...launchFiles, ...(plan.at(MANAGER_ADDRESS) ? [MANAGER_ADDRESS] : [])];
}

/**
 * Starting an agent's unit starts the holder's too (Requires=), whose
 * ExecStart refuses a holder session that is dead, unlabelled or of
 * another spec: such a start goes after the holder's own change.
 */
function waitsForHolder(u: UnitChange, plan: PlannedChanges): boolean {
  const holder = plan.at(HOLDER_ADDRESS);
  const holderChanges = holder !== undefined && holder.action !== "delete" && isApplied(holder);
  return holderChanges && u.name !== HOLDER_UNIT && u.steps.some((s) => s.kind === "systemctl" && s.verb === "start");
}

/** The session a fleet unit starts. */
function sessionOfUnit(unit: string): string {
  return agentOfUnit(unit) ?? HOLDER_SESSION;
}

/** Whether the plan changes the unit at `address` (a unit change is never held: any but a noop is applied). */
export function unitPending(address: string, plan: PlannedChanges): boolean {
  const c = plan.at(address);
  return c !== undefined && c.action !== "noop";
}
