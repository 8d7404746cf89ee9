import { describeDeadPane } from "../observe/exit-status.js";
import type { ObservedPane, ObservedSession, ObservedTmux } from "../observe/types.js";
import { ofAnotherRoster } from "../plan/ownership.js";
import type { AgentSpec, DesiredFleet } from "../roster/types.js";
import { ownRosterId } from "../identity/roster-id.js";
import { globalLabelRemedy } from "../identity/session-label.js";

/** The pane a message goes to, or a command reads, with the roster's entry for it. */
export interface AgentPane {
  readonly session: ObservedSession;
  readonly pane: ObservedPane;
  /** null for a managed session the roster no longer lists (`agent tail` only). */
  readonly agent: AgentSpec | null;
}

export type TargetResult = { readonly ok: true; readonly target: AgentPane } | { readonly ok: false; readonly message: string; readonly hints: readonly string[] };

/** A roster agent name: anything else (`-x`, `=x`, `x:y`, `%1`) could be read as an option or a tmux target. */
export const AGENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function refused(message: string, ...hints: string[]): TargetResult {
  return { ok: false, message, hints };
}

/**
 * The agent's own pane, as observed, for `purpose`. A message goes only to
 * an enabled roster agent whose session mosaic started and whose pane is
 * live; `agent tail` also reads a dead pane (its last output says why it
 * ended) and a managed session the roster dropped.
 */
export function agentPane(desired: DesiredFleet, tmux: ObservedTmux, name: string, purpose: "send" | "tail", rosterPaths: Readonly<Record<string, string>> = {}): TargetResult {
  if (!AGENT_NAME.test(name)) return refused(`not an agent name: ${JSON.stringify(name)} (a roster agent's name: lower-case letters, digits, - and _, starting with a letter or digit)`);
  if (tmux.globalLabels.length > 0) {
    const label = tmux.globalLabels[0]!;
    return refused(`the label option ${label} is set for every session at once on socket "${desired.socket}", so no session's label can be trusted${purpose === "send" ? "; nothing was sent" : ""}`, `Remove it with: ${globalLabelRemedy(desired.socket, label)}`);
  }
  const agent = desired.agents.find((a) => a.name === name) ?? null;
  const session = tmux.sessions.find((s) => s.name === name);
  const where = `on socket "${desired.socket}"`;
  if (agent === null && !(purpose === "tail" && session?.managed)) {
    const known = desired.agents.map((a) => a.name).join(", ") || "(none)";
    return refused(`no agent "${name}" in the roster ${desired.rosterPath}`, `Agents: ${known}`);
  }
  if (purpose === "send" && agent !== null && !agent.enabled) {
    return refused(`agent "${name}" is disabled in the roster (enabled: false); nothing was sent`, "Set `enabled: true` and run `mosaic fleet apply` to start it.");
  }
  const unsent = purpose === "send" ? "; nothing was sent" : "";
  if (session === undefined) {
    if (agent !== null && !agent.enabled) return refused(`agent "${name}" is disabled in the roster (enabled: false) and has no session ${where}`);
    const what = tmux.serverRunning ? `agent "${name}" has no session ${where}` : `no tmux server runs ${where}, so agent "${name}" has no session`;
    return refused(`${what}${unsent}`, "Run `mosaic fleet start` to start the fleet.");
  }
  if (!session.managed) return refused(`the session "${name}" ${where} was not started by mosaic; it is left alone${unsent}`);
  if (ofAnotherRoster(session, ownRosterId(desired))) {
    const whose = rosterPaths[session.rosterId!] ?? `roster ${session.rosterId}`;
    return refused(`the session "${name}" ${where} belongs to another roster (${whose}); it is left alone${unsent}`, `Name that roster with --roster to reach it, or give this roster's agent another name.`);
  }
  if (session.sharedPane) {
    const others = session.sharedPane.sessions.filter((n) => n !== name).join(", ");
    return refused(`agent "${name}"'s pane ${session.sharedPane.id} is also in session ${others} (a linked window)${unsent}`, `Unlink that window (tmux -L ${desired.socket} unlink-window), or run \`mosaic agent reset ${name}\` to start it afresh.`);
  }
  if (session.pane === null) {
    return refused(`cannot tell agent "${name}"'s own pane among the ${session.paneCount} of its session${unsent}`, `Run \`mosaic agent reset ${name}\` to start it afresh.`);
  }
  if (purpose === "send" && session.pane.dead) {
    const how = describeDeadPane(session.pane);
    return refused(`agent "${name}" is not running: its pane is dead${how === "" ? "" : ` (${how})`}; nothing was sent`, `Run \`mosaic agent reset ${name}\` to start it again, and \`mosaic agent tail ${name}\` to see how it ended.`);
  }
  return { ok: true, target: { session, pane: session.pane, agent } };
}
