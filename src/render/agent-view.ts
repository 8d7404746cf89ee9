import type { PlanAction } from "../plan/types.js";
import type { ChangeDocument, PlanDocument } from "./plan-json.js";
import type { Style } from "./style.js";
import { escapeRisky } from "../text/safe-text.js";

/**
 * The plan as an operator reads it: one headline per agent (what happens
 * to it, and why), its other resources (unit, launch file) folded into one
 * more line, then the fleet's own changes one line each (a file as its
 * size, never its body), and the agents counted before the resources.
 * Rendered from the same document as `--json` and the detailed view
 * (`--detailed`), which keep every resource, its tool calls and its diff.
 */
export function renderAgentView(doc: PlanDocument, style: Style): { lines: string[]; count: string | null } {
  const shown = doc.resource_changes.filter((c) => c.action !== "noop");
  const byAgent = new Map<string, ChangeDocument[]>();
  const fleet: ChangeDocument[] = [];
  for (const c of shown) {
    const agent = c.agent;
    if (agent === null) fleet.push(c);
    else byAgent.set(agent, [...(byAgent.get(agent) ?? []), c]);
  }
  const width = Math.max(0, ...[...byAgent.keys()].map((n) => escapeRisky(n).length));
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const [agent, changes] of byAgent) {
    const session = changes.find((c) => c.type === "tmux.session") ?? null;
    const head = session ?? changes[0]!;
    const verb = session === null ? "update" : agentVerb(session);
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
    // What changed in its spec, by name (`env.OPENAI_API_KEY`, never a value): the first thing a reviewer asks.
    const fields = session !== null && "changed_fields" in session && Array.isArray(session.changed_fields) && session.changed_fields.length > 0 ? ` (changed: ${escapeRisky(session.changed_fields.join(", "))})` : "";
    const why = session === null ? resourceList(changes) : `${escapeRisky(session.message)}${fields}`;
    lines.push(`${paint(head, style)(SYMBOL[head.action])} ${style.bold(escapeRisky(agent).padEnd(width))}  ${verb}${head.held ? " (held)" : ""}: ${why}`);
    const others = changes.filter((c) => c !== session);
    if (session !== null && others.length > 0) lines.push(`    ${" ".repeat(width)}  with ${resourceList(others)}`);
    if (head.runs_caller) lines.push(`    ${" ".repeat(width)}  it runs this command, so it goes last, from a process outside its pane`);
  }
  if (fleet.length > 0) {
    if (byAgent.size > 0) lines.push("", "  and the fleet's own:");
    const fleetWidth = Math.max(...fleet.map((c) => fleetName(c).length));
    for (const c of fleet) lines.push(`${paint(c, style)(SYMBOL[c.action])} ${fleetName(c).padEnd(fleetWidth)}  ${fleetWhat(c)}`);
  }
  const order = ["start", "replace", "update", "stop", "stop and remove"] as const;
  const count = counts.size === 0 ? null : `Agents: ${order.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} to ${v}`).join(", ")}.`;
  return { lines, count };
}

export const SYMBOL: Record<PlanAction, string> = { create: "  +", update: "  ~", replace: "-/+", delete: "  -", noop: "   " };

export function paint(c: Pick<ChangeDocument, "held" | "action">, style: Style): (s: string) => string {
  return c.held ? style.dim : c.action === "create" ? style.green : c.action === "delete" ? style.red : style.yellow;
}

/** What happens to an agent, from its session's change. */
function agentVerb(session: ChangeDocument): "start" | "replace" | "update" | "stop" | "stop and remove" {
  switch (session.action) {
    case "create":
      return "start";
    case "replace":
      return "replace";
    case "delete":
      return session.reason === "not-in-roster" ? "stop and remove" : "stop";
    default:
      return "update";
  }
}

/** "its unit (enable-wanted), its launch file (content-changed)": an agent's other resources, by kind. */
function resourceList(changes: readonly ChangeDocument[]): string {
  const what: Record<string, string> = { "tmux.session": "its session", "systemd.unit": "its unit", "file.launch": "its launch file" };
  return changes.map((c) => `${what[c.type] ?? escapeRisky(c.address)} (${escapeRisky(c.reason)})`).join(", ");
}

/** A fleet resource's short name: a file by its path, the rest by their address. */
function fleetName(c: ChangeDocument): string {
  return escapeRisky("path" in c && typeof c.path === "string" ? c.path : c.type === "tmux.session" ? c.name : c.address);
}

function fleetWhat(c: ChangeDocument): string {
  if ("path" in c) {
    const after = (c as { after: { bytes: number } | null }).after;
    const size = after === null ? "" : `, ${after.bytes} bytes`;
    const verb = c.action === "create" ? "new file" : c.action === "delete" ? "removed" : "changed";
    return `${verb}${size} (${escapeRisky(c.reason)})`;
  }
  // The holder's session reads as an agent's does: what happens to it, and why.
  if (c.type === "tmux.session") return `${agentVerb(c)}: ${escapeRisky(c.message)}`;
  return `${escapeRisky(c.reason)}: ${escapeRisky(c.message)}`;
}
