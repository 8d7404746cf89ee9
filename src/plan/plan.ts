import { createHash } from "node:crypto";
import type { ObservedFleet } from "../observe/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { canonicalJson } from "../spec/canonical-json.js";
import { ofAnotherRoster, ownRosterId } from "./ownership.js";
import { preflight } from "./preflight.js";
import { HOLDER_ADDRESS, planAgent, planHolder, type FleetContext } from "./session.js";
import { PLAN_FORMAT_VERSION, type Plan, type PlanDiagnostic, type PlanIntent, type ResourceChange } from "./types.js";

/**
 * The planner: a pure function of the roster, one observation and the
 * intent. No I/O, no clock, no randomness; names are visited in sorted
 * order, so equal inputs give byte-identical plans.
 *
 * Order of the result: the holder's create/replace first (agents need its
 * server), then agents by name, then any change that stops the agent this
 * command runs in, then the holder's delete (the server goes with its last
 * session). `dependsOn` states the same order as data.
 */
export function plan(desired: DesiredFleet, observed: ObservedFleet, intent: PlanIntent): Plan {
  const sessions = new Map(observed.sessions.map((s) => [s.name, s]));
  const agents = new Map(desired.agents.map((a) => [a.name, a]));
  const diagnostics: PlanDiagnostic[] = observed.unreadable.map((row) => ({
    severity: "error",
    code: "unreadable-row",
    message: `could not read this line of tmux output, so the plan cannot vouch for the fleet: ${JSON.stringify(row)}`,
  }));

  const ctx: FleetContext = { socket: desired.socket, rosterId: ownRosterId(desired), rosterPaths: observed.host.rosterPaths, defaults: desired.defaults };
  const othersStay = observed.sessions.some((s) => ofAnotherRoster(s, ctx.rosterId));
  const holder = planHolder(sessions.get(HOLDER_SESSION), ctx, intent, othersStay, diagnostics);
  let agentChanges: ResourceChange[] = [];
  const names = [...new Set([...agents.keys(), ...sessions.keys()])].filter((n) => n !== HOLDER_SESSION).sort();
  for (const name of names) {
    const change = planAgent(name, agents.get(name), sessions.get(name), ctx, intent, diagnostics);
    if (change) agentChanges.push(change);
  }
  agentChanges = deferCaller(agentChanges, observed.host.callerPaneId);

  const changes: ResourceChange[] = [];
  const holderFirst = holder !== null && holder.action !== "delete";
  if (holderFirst) changes.push(holder);
  changes.push(...agentChanges.map((c) => (holderFirst && c.after ? { ...c, dependsOn: [...c.dependsOn, HOLDER_ADDRESS] } : c)));
  if (holder && holder.action === "delete") {
    changes.push({ ...holder, dependsOn: agentChanges.filter((c) => c.action === "delete").map((c) => c.address) });
  }

  diagnostics.push(...preflight(changes, observed.host));
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
    changes,
    diagnostics,
    observedFingerprint: fingerprint(observed),
  };
}

/**
 * A change that stops the pane this command runs in would end the command
 * halfway: it goes last, after every other change, and says so.
 */
function deferCaller(changes: ResourceChange[], callerPaneId: string | null): ResourceChange[] {
  if (callerPaneId === null) return changes;
  const isCaller = (c: ResourceChange) => c.before?.pane?.id === callerPaneId && (c.action === "replace" || c.action === "delete") && !c.held;
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
  const doc = {
    socket: observed.socket,
    server: observed.serverRunning,
    sessions: observed.sessions.map((s) => [s.name, s.managed, s.specHash, s.pane?.id ?? null, s.pane?.pid ?? null, s.pane?.dead ?? null, s.paneCount, s.createdAt]),
  };
  return `sha256:${createHash("sha256").update(canonicalJson(doc)).digest("hex")}`;
}
