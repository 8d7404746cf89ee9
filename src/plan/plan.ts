import { createHash } from "node:crypto";
import { describeDeadPane } from "../observe/exit-status.js";
import type { ObservedFleet, ObservedSession } from "../observe/types.js";
import { AGENT_DEFAULTS } from "../roster/normalise.js";
import { HOLDER_SESSION, type AgentSpec, type DesiredFleet } from "../roster/types.js";
import { canonicalJson } from "../spec/canonical-json.js";
import { specFieldDigests } from "../spec/fields.js";
import { agentLaunch } from "../spec/launch.js";
import { quoteForDisplay } from "../text/quote.js";
import { safeJsonString } from "../text/safe-text.js";
import { sessionAddress } from "./addresses.js";
import { ofAnotherRoster, ownRosterId } from "./ownership.js";
import { HOLDER_IDENTITY, HOLDER_SPEC_HASH } from "../spec/holder.js";
import { preflight } from "./preflight.js";
import {
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlanAction,
  type PlanDiagnostic,
  type PlanIntent,
  type PlanReason,
  type ResourceChange,
  type SessionAfter,
  type SessionBefore,
} from "./types.js";

const HOLDER_ADDRESS = sessionAddress(HOLDER_SESSION);

/** What every per-session decision needs to know about the fleet as a whole. */
interface FleetContext {
  readonly socket: string;
  /** This roster's identity; null for a stop by socket alone, which owns every managed session. */
  readonly rosterId: string | null;
  readonly rosterPaths: Readonly<Record<string, string>>;
}


function anotherRosterText(obs: ObservedSession, ctx: FleetContext): string {
  const path = obs.rosterId === null ? undefined : ctx.rosterPaths[obs.rosterId];
  return `another roster${path ? ` (${quoteForDisplay(path)})` : ""}`;
}

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

  const ctx: FleetContext = { socket: desired.socket, rosterId: ownRosterId(desired), rosterPaths: observed.host.rosterPaths };
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

function planHolder(obs: ObservedSession | undefined, ctx: FleetContext, intent: PlanIntent, othersStay: boolean, diagnostics: PlanDiagnostic[]): ResourceChange | null {
  const socket = ctx.socket;
  const wanted = intent.target === "roster";
  const grace = AGENT_DEFAULTS.stopGraceSeconds;
  const after: SessionAfter = {
    role: "holder",
    name: HOLDER_SESSION,
    argv: [HOLDER_IDENTITY.command, ...HOLDER_IDENTITY.args],
    cwd: HOLDER_IDENTITY.cwd,
    env: {},
    specHash: HOLDER_SPEC_HASH,
    specFields: specFieldDigests(HOLDER_IDENTITY),
    launch: "resume",
    readyAfterSeconds: 0,
    stopGraceSeconds: grace,
    rosterId: null,
  };
  const make = (action: PlanAction, reason: PlanReason, message: string): ResourceChange => change(HOLDER_SESSION, action, reason, message, obs, action === "delete" ? null : after, grace);

  if (!wanted) {
    if (!obs || !obs.managed) return null;
    if (othersStay) {
      diagnostics.push({ severity: "warning", code: "other-roster", address: HOLDER_ADDRESS, message: `the holder stays: sessions another roster made still run on socket "${socket}"` });
      return null;
    }
    return make("delete", "stop-requested", "the fleet is being stopped; the holder goes last");
  }
  if (!obs) return make("create", "missing", "keeps the isolated tmux server alive while agents come and go");
  if (!obs.managed) {
    diagnostics.push({
      severity: "error",
      code: "name-taken",
      address: HOLDER_ADDRESS,
      message: `a session named "${HOLDER_SESSION}" exists on socket "${socket}" but was not made by mosaic; it was left alone. End it (tmux -L ${socket} kill-session -t =${HOLDER_SESSION}) and plan again.`,
    });
    return null;
  }
  if (obs.pane === null) return make("replace", "pane-missing", paneMissingText(obs, "the holder's"));
  if (obs.pane.dead) return make("replace", "pane-dead", `its process ${deadText(obs)}`);
  if (obs.specHash === null || !obs.paneRecorded) return make("update", "unlabelled", "made by an older mosaic; recording its labels as it runs");
  if (obs.specHash !== HOLDER_SPEC_HASH) return make("replace", "spec-changed", "this mosaic runs the holder differently; replacing it does not touch the agents");
  return make("noop", "in-sync", "running");
}

function planAgent(
  name: string,
  agent: AgentSpec | undefined,
  obs: ObservedSession | undefined,
  ctx: FleetContext,
  intent: PlanIntent,
  diagnostics: PlanDiagnostic[],
): ResourceChange | null {
  const socket = ctx.socket;
  const address = sessionAddress(name);
  const wanted = intent.target === "roster" && agent !== undefined && agent.enabled;
  const grace = agent?.stopGraceSeconds ?? obs?.stopGraceSeconds ?? AGENT_DEFAULTS.stopGraceSeconds;

  if (obs && (!obs.managed || ofAnotherRoster(obs, ctx.rosterId))) {
    const whose = obs.managed ? `that mosaic made for ${anotherRosterText(obs, ctx)}` : "that mosaic did not make";
    if (wanted) {
      diagnostics.push({
        severity: "error",
        code: "name-taken",
        address,
        message: `the roster wants agent ${safeJsonString(name)}, but a session of that name ${whose} is on socket "${socket}"; it was left alone. Rename or end it, then plan again.`,
      });
    } else if (obs.managed) {
      diagnostics.push({ severity: "warning", code: "other-roster", address, message: `session ${safeJsonString(name)} on socket "${socket}" belongs to ${anotherRosterText(obs, ctx)}; it is left alone` });
    } else {
      diagnostics.push({ severity: "warning", code: "unmanaged-session", address, message: `session ${safeJsonString(name)} on socket "${socket}" was not made by mosaic; it is left alone` });
    }
    return null;
  }

  if (!wanted) {
    if (!obs) return null;
    const [reason, message]: [PlanReason, string] =
      intent.target === "stopped"
        ? ["stop-requested", "the fleet is being stopped"]
        : agent === undefined
          ? ["not-in-roster", "no longer in the roster"]
          : ["disabled", "disabled in the roster (enabled: false)"];
    return change(name, "delete", reason, message, obs, null, grace);
  }

  const fresh = intent.fresh.includes(name);
  const after = agentAfter(agent, socket, fresh, ctx.rosterId);
  const make = (action: PlanAction, reason: PlanReason, message: string, held = false) => change(name, action, reason, message, obs, after, grace, held);

  if (!obs) return make("create", "missing", fresh ? "no session yet; starting a new conversation" : "no session yet");
  if (obs.paneCount > 1 && obs.pane !== null) {
    diagnostics.push({ severity: "warning", code: "extra-panes", address, message: `session ${safeJsonString(name)} has ${obs.paneCount} panes; mosaic manages only the agent's own (${obs.pane.id}) and never signals the others, but they close with the session when it is replaced or removed` });
  }
  if (obs.pane === null) return make("replace", "pane-missing", paneMissingText(obs, "the agent's"));
  if (obs.pane.dead) return make("replace", "pane-dead", `the agent's process ${deadText(obs)}`);
  if (intent.replace.includes(name)) {
    const reason = intent.replaceReason;
    return make("replace", reason, `${reason === "reset-requested" ? "reset" : "restart"} requested${fresh ? "; starting a new conversation" : ""}`);
  }
  if (obs.specHash === null) return make("update", "unlabelled", "made by an older mosaic without a spec hash; adopting it as it is (no restart)");
  if (obs.specHash !== agent.specHash) {
    return agent.onSpecChange === "hold"
      ? make("replace", "spec-changed", `the roster changed its spec; held by on_spec_change: hold until \`mosaic agent reset ${name}\``, true)
      : make("replace", "spec-changed", "the roster changed its command, arguments, directory or environment");
  }
  if (!obs.paneRecorded || (ctx.rosterId !== null && obs.rosterId === null)) {
    return make("update", "unlabelled", "made by an older mosaic that did not record its pane and roster; recording them (no restart)");
  }
  return make("noop", "in-sync", "running as the roster says");
}

function agentAfter(agent: AgentSpec, socket: string, fresh: boolean, ownId: string | null): SessionAfter {
  return {
    role: "agent",
    name: agent.name,
    ...agentLaunch(agent, socket, fresh),
    specHash: agent.specHash,
    specFields: specFieldDigests(agent),
    launch: fresh ? "new" : "resume",
    readyAfterSeconds: agent.readyAfterSeconds,
    stopGraceSeconds: agent.stopGraceSeconds,
    rosterId: ownId,
  };
}

function change(
  name: string,
  action: PlanAction,
  reason: PlanReason,
  message: string,
  obs: ObservedSession | undefined,
  after: SessionAfter | null,
  stopGraceSeconds: number,
  held = false,
): ResourceChange {
  return {
    address: sessionAddress(name),
    type: "tmux.session",
    name,
    action,
    reason,
    message,
    held,
    before: action === "create" || !obs ? null : beforeOf(obs),
    after: action === "delete" ? null : after,
    stopGraceSeconds,
    dependsOn: [],
    runsCaller: false,
  };
}

function beforeOf(obs: ObservedSession): SessionBefore {
  return {
    name: obs.name,
    managed: obs.managed,
    specHash: obs.specHash,
    specFields: obs.specFields,
    launch: obs.launch,
    createdAt: obs.createdAt,
    pane: obs.pane,
    paneRecorded: obs.paneRecorded,
    paneCount: obs.paneCount,
  };
}

/** "exited with status 3", "was ended by signal 9 (SIGKILL)", or "exited". */
function deadText(obs: ObservedSession): string {
  const d = obs.pane ? describeDeadPane(obs.pane) : "";
  if (d === "") return "exited";
  return obs.pane?.deadSignal != null ? `was ended by ${d}` : `exited with ${d}`;
}

function paneMissingText(obs: ObservedSession, whose: string): string {
  return obs.paneRecorded
    ? `${whose} own pane is gone; ${obs.paneCount} other ${obs.paneCount === 1 ? "pane remains and closes" : "panes remain and close"} with the session`
    : `cannot tell which of its ${obs.paneCount} panes is ${whose}: none was recorded`;
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
