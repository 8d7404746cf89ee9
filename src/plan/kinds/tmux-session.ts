import { HOLDER_SESSION } from "../../roster/types.js";
import { unitOfSession } from "../../identity/units.js";
import { safeJsonString } from "../../text/safe-text.js";
import { unitAddress } from "../addresses.js";
import { isApplied } from "../predicates.js";
import { HOLDER_ADDRESS, planAgent, planHolder } from "../session.js";
import { sessionSteps, type StepContext } from "../session-steps.js";
import type { SessionChange } from "../types.js";
import { describeFactChange, type FactChange, type FactValue, type PlannedChanges, type ResourceKind } from "./kind.js";
import { unitPending, unitPrereqs } from "./systemd-unit.js";

/** The PATH the units give agents: what a launch mosaic makes itself under systemd gets too (session-steps.ts). */
const UNIT_PATH_SUBJECT = "the PATH the units give agents";

/** The holder and the agents' sessions. The decisions are session.ts's; the tool calls session-steps.ts's. */
export const tmuxSession: ResourceKind<"tmux.session"> = {
  type: "tmux.session",

  /**
   * The server, while it runs; every session on it, as the planner reads
   * it (a change shows the pane it stops); whether this command runs in its
   * pane (that change goes last); and, where a user manager answers, the
   * PATH its units give agents.
   */
  facts: (observed) => {
    const out: Record<string, FactValue> = {};
    if (observed.serverRunning) out[serverSubject(observed.socket)] = true;
    if (observed.systemd !== null) out[UNIT_PATH_SUBJECT] = observed.host.agentPath;
    for (const s of observed.sessions) {
      // Not the pane's current command: the agent's to change at any moment (a tool call, a shell), shown, never acted on.
      const pane = s.pane && { id: s.pane.id, pid: s.pane.pid, dead: s.pane.dead, deadStatus: s.pane.deadStatus, deadSignal: s.pane.deadSignal };
      out[`session ${safeJsonString(s.name)}`] = {
        managed: s.managed,
        specHash: s.specHash,
        specFields: s.specFields,
        launch: s.launch,
        createdAt: s.createdAt,
        pane,
        paneRecorded: s.paneRecorded,
        paneCount: s.paneCount,
        rosterId: s.rosterId,
        sharedPane: s.sharedPane ? { id: s.sharedPane.id, sessions: s.sharedPane.sessions } : null,
        runsCaller: s.pane !== null && s.pane.id === observed.host.callerPaneId,
      };
    }
    return out;
  },
  describeFact: (subject: string, change: FactChange) => {
    if (!subject.startsWith("the tmux server ")) return describeFactChange(subject, change);
    return `${subject} ${change === "appeared" ? "was started" : "stopped"}`;
  },

  plan: (ctx) => {
    const { observed, desired, intent, fleet, diagnostics } = ctx;
    const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
    const agents = new Map(desired.agents.map((a) => [a.name, a]));
    const holder = planHolder(sessions.get(HOLDER_SESSION), fleet, intent, ctx.otherRosterStays, diagnostics);
    const agentChanges: SessionChange[] = [];
    const names = [...new Set([...agents.keys(), ...sessions.keys()])].filter((n) => n !== HOLDER_SESSION).sort();
    for (const name of names) {
      const change = planAgent(name, agents.get(name), sessions.get(name), fleet, intent, diagnostics);
      if (change) agentChanges.push(change);
    }
    // The tool calls each change makes, for the backend in use.
    const stepCtx: StepContext = {
      backend: ctx.backend,
      systemd: observed.systemd,
      sessionsBesideHolder: observed.sessions.some((s) => s.name !== HOLDER_SESSION) || ctx.otherFleetUnits,
      othersStay: ctx.othersStay,
      agentPath: observed.host.agentPath,
      launchFile: ctx.launchFile,
    };
    const withSteps = <C extends SessionChange>(c: C): C => ({ ...c, steps: sessionSteps(c, stepCtx) });
    const agentsInOrder = callerLast(agentChanges.map(withSteps), observed.host.callerPaneId);
    if (holder === null) return agentsInOrder;
    // Agents need the holder's server; it goes last only when it goes: the server ends with its last session.
    return holder.action === "delete" ? [...agentsInOrder, withSteps(holder)] : [withSteps(holder), ...agentsInOrder];
  },

  dependsOn: ["file.launch", "systemd.manager", "systemd.unit", "tmux.session"],
  edges: (c, plan) => {
    const holder = plan.at(HOLDER_ADDRESS);
    const holderFirst = holder !== undefined && holder.action !== "delete";
    if (c.name === HOLDER_SESSION) {
      if (holderFirst) return sessionDeps(c, plan);
      const agentDeletes = plan.of("tmux.session").filter((a) => a.name !== HOLDER_SESSION && a.action === "delete");
      return [...sessionDeps(c, plan), ...agentDeletes.map((a) => a.address)];
    }
    return [...callerDeps(c, plan), ...sessionDeps(c, plan), ...(holderFirst && c.after ? [HOLDER_ADDRESS] : [])];
  },
  phase: () => "sessions",
  agent: (c) => (c.name === HOLDER_SESSION ? null : c.name),
  seen: () => true,
};

function serverSubject(socket: string): string {
  return `the tmux server on socket ${safeJsonString(socket)}`;
}

/** A session's unit call waits for what the unit reads, and for the unit's own enablement. */
function sessionDeps(c: SessionChange, plan: PlannedChanges): string[] {
  if (!c.steps.some((s) => s.kind === "systemctl")) return [];
  const unit = unitAddress(unitOfSession(c.name));
  return [...unitPrereqs(c.name, plan), ...(unitPending(unit, plan) ? [unit] : [])];
}

/** The change that stops the caller's own pane waits for every other agent's change that applies. */
function callerDeps(c: SessionChange, plan: PlannedChanges): string[] {
  if (!c.runsCaller) return [];
  return plan
    .of("tmux.session")
    .filter((o) => o.name !== HOLDER_SESSION && !o.runsCaller && isApplied(o))
    .map((o) => o.address);
}

/**
 * A change that stops the pane this command runs in would end the command
 * halfway: it goes last, after every other change (callerDeps), and says so.
 */
function callerLast(changes: SessionChange[], callerPaneId: string | null): SessionChange[] {
  if (callerPaneId === null) return changes;
  const isCaller = (c: SessionChange) => c.before?.pane?.id === callerPaneId && (c.action === "replace" || c.action === "delete") && !c.held;
  return [...changes.filter((c) => !isCaller(c)), ...changes.filter(isCaller).map((c) => ({ ...c, runsCaller: true }))];
}
