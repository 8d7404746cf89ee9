import { describeDeadPane } from "../observe/exit-status.js";
import type { ObservedSession } from "../observe/types.js";
import { HOLDER_SESSION, type AgentSpec } from "../roster/types.js";
import { HOLDER_SPEC_HASH } from "../identity/holder.js";
import { agentSession, holderSession } from "../identity/launch.js";
import { quoteForDisplay } from "../text/quote.js";
import { safeJsonString } from "../text/safe-text.js";
import { sessionAddress } from "./addresses.js";
import { ofAnotherRoster } from "./ownership.js";
import type { PlanDiagnostic, PlanIntent, PlanReason, SessionBefore, SessionChange } from "./types.js";
import type { SessionAfter } from "../identity/launch.js";

/**
 * The planner for tmux sessions: the holder and every agent. Pure; it
 * decides what each session needs, whatever the backend; session-steps.ts
 * then picks the tool calls, and the session kind (kinds/tmux-session.ts)
 * says what each change waits for.
 */

export const HOLDER_ADDRESS = sessionAddress(HOLDER_SESSION);

/** What every per-session decision needs to know about the fleet as a whole. */
export interface FleetContext {
  readonly socket: string;
  /** This roster's identity; null for a stop by socket alone, which owns every managed session. */
  readonly rosterId: string | null;
  readonly rosterPaths: Readonly<Record<string, string>>;
  /** Roster defaults for what the roster does not say (a session no roster agent describes). */
  readonly defaults: { readonly stopGraceSeconds: number };
}


function anotherRosterText(obs: ObservedSession, ctx: FleetContext): string {
  const path = obs.rosterId === null ? undefined : ctx.rosterPaths[obs.rosterId];
  return `another roster${path ? ` (${quoteForDisplay(path)})` : ""}`;
}

export function planHolder(obs: ObservedSession | undefined, ctx: FleetContext, intent: PlanIntent, othersStay: boolean, diagnostics: PlanDiagnostic[]): SessionChange | null {
  const socket = ctx.socket;
  const wanted = intent.target === "roster";
  const grace = ctx.defaults.stopGraceSeconds;
  const after = holderSession(grace);
  if (!wanted) {
    if (!obs || !obs.managed) return null;
    if (othersStay) {
      diagnostics.push({ severity: "warning", code: "other-roster", address: HOLDER_ADDRESS, message: `the holder stays: sessions another roster made still run on socket "${socket}"` });
      return null;
    }
    return deleteChange(obs, "stop-requested", "the fleet is being stopped; the holder goes last", grace);
  }
  if (!obs) return createChange(HOLDER_SESSION, after, "missing", "keeps the isolated tmux server alive while agents come and go", grace);
  if (!obs.managed) {
    diagnostics.push({
      severity: "error",
      code: "name-taken",
      address: HOLDER_ADDRESS,
      message: `a session named "${HOLDER_SESSION}" exists on socket "${socket}" but was not made by mosaic; it was left alone. End it (tmux -L ${socket} kill-session -t =${HOLDER_SESSION}) and plan again.`,
    });
    return null;
  }
  const make = (action: "noop" | "update" | "replace", reason: PlanReason, message: string) => existingChange(obs, after, grace, action, reason, message);
  if (obs.pane === null) return make("replace", "pane-missing", paneMissingText(obs, "the holder's"));
  if (obs.pane.dead) return make("replace", "pane-dead", `its process ${deadText(obs)}`);
  if (obs.specHash === null || !obs.paneRecorded) return make("update", "unlabelled", "made by an older mosaic; recording its labels as it runs");
  if (obs.specHash !== HOLDER_SPEC_HASH) return make("replace", "spec-changed", "this mosaic runs the holder differently; replacing it does not touch the agents");
  return make("noop", "in-sync", "running");
}

export function planAgent(
  name: string,
  agent: AgentSpec | undefined,
  obs: ObservedSession | undefined,
  ctx: FleetContext,
  intent: PlanIntent,
  diagnostics: PlanDiagnostic[],
): SessionChange | null {
  const socket = ctx.socket;
  const address = sessionAddress(name);
  const wanted = intent.target === "roster" && agent !== undefined && agent.enabled;
  // Never a grace the session's labels claim: the agent can rewrite them to stall a stop.
  const grace = agent?.stopGraceSeconds ?? ctx.defaults.stopGraceSeconds;

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
    return deleteChange(obs, reason, message, grace);
  }

  const fresh = intent.fresh.includes(name);
  const after = agentSession(agent, socket, fresh, ctx.rosterId);
  if (!obs) return createChange(name, after, "missing", fresh ? "no session yet; starting a new conversation" : "no session yet", grace);
  const make = (action: "noop" | "update" | "replace", reason: PlanReason, message: string, held = false) => existingChange(obs, after, grace, action, reason, message, held);
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

/** The parts every session change shares. */
function base(name: string, reason: PlanReason, message: string, stopGraceSeconds: number) {
  // Steps are chosen for the backend in use once every session is decided (session-steps.ts).
  return { address: sessionAddress(name), type: "tmux.session", name, reason, message, stopGraceSeconds, dependsOn: [], runsCaller: false, steps: [] } as const;
}

function createChange(name: string, after: SessionAfter, reason: PlanReason, message: string, grace: number): SessionChange {
  return { ...base(name, reason, message, grace), action: "create", held: false, before: null, after };
}

function deleteChange(obs: ObservedSession, reason: PlanReason, message: string, grace: number): SessionChange {
  return { ...base(obs.name, reason, message, grace), action: "delete", held: false, before: beforeOf(obs), after: null };
}

/** A change to a session that exists and stays wanted: noop, update in place, or replace (maybe held). */
function existingChange(obs: ObservedSession, after: SessionAfter, grace: number, action: "noop" | "update" | "replace", reason: PlanReason, message: string, held = false): SessionChange {
  const b = { ...base(obs.name, reason, message, grace), before: beforeOf(obs), after };
  return action === "replace" ? { ...b, action, held } : { ...b, action, held: false };
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
  if (obs.sharedPane) {
    const others = obs.sharedPane.sessions.filter((n) => n !== obs.name).join(", ");
    return `${whose} recorded pane ${obs.sharedPane.id} is also in session ${others} (a linked window), so it cannot be told whose it is`;
  }
  return obs.paneRecorded
    ? `${whose} own pane is gone; ${obs.paneCount} other ${obs.paneCount === 1 ? "pane remains and closes" : "panes remain and close"} with the session`
    : `cannot tell which of its ${obs.paneCount} panes is ${whose}: none was recorded`;
}

