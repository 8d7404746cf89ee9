import type { PlanDocument } from "./plan-json.js";

/**
 * The drift check's one line, for a crontab or a timer whose output is
 * mailed or logged: null when nothing would change, so a converged fleet
 * prints nothing at all. It speaks of agents, as the plan does: each agent
 * that differs once, marked by what happens to it (`+` started, `-`
 * stopped, `~` anything else), then the fleet's own resources by address
 * and reason, then the counts:
 * `drift: +alpha -old-agent (2 agents; 1 to add, 0 to change, 1 to destroy)`.
 * A hundred agents missing make a line of about a kilobyte, not six.
 */
export function driftLine(doc: PlanDocument): string | null {
  if (!doc.has_changes) return null;
  const s = doc.summary;
  const agents = new Map<string, string>();
  const fleet: string[] = [];
  for (const c of doc.resource_changes) {
    if (c.action === "noop" || c.held) continue;
    const agent = c.agent;
    if (agent === null) fleet.push(`${oneLine(c.type === "tmux.session" ? c.name : c.address)}: ${c.reason}`);
    // An agent's session says what happens to it; its unit or launch file alone is a change to it (~).
    else if (c.type === "tmux.session") agents.set(agent, c.action === "create" ? "+" : c.action === "delete" ? "-" : "~");
    else if (!agents.has(agent)) agents.set(agent, "~");
  }
  const named = [...agents].map(([agent, mark]) => `${mark}${oneLine(agent)}`).join(" ");
  const own = fleet.length === 0 ? "" : `${named === "" ? "" : "; "}fleet: ${fleet.join("; ")}`;
  const counted = agents.size === 0 ? "" : `${agents.size} ${agents.size === 1 ? "agent" : "agents"}; `;
  return `drift: ${named}${own} (${counted}${s.add} to add, ${s.change} to change, ${s.destroy} to destroy)`;
}

/** A file path may hold a newline; the line must not. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, "?");
}
