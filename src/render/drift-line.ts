import type { PlanDocument } from "./plan-json.js";

/**
 * The drift check's one line, for a crontab or a timer whose output is
 * mailed or logged: null when nothing would change, so a converged fleet
 * prints nothing at all. Each changed resource is named with its reason,
 * in plan order: `drift: 1 to add, 0 to change, 1 to destroy (canary-pi:
 * missing; old-agent: not-in-roster)`: an agent's session by its name,
 * anything else (a unit, an installed file, a launch file) by its address,
 * so an agent's session and its launch file are not both "old-agent".
 */
export function driftLine(doc: PlanDocument): string | null {
  if (!doc.has_changes) return null;
  const s = doc.summary;
  const what = doc.resource_changes
    .filter((c) => c.action !== "noop" && !c.held)
    .map((c) => `${oneLine(c.type === "tmux.session" ? c.name : c.address)}: ${c.reason}`)
    .join("; ");
  return `drift: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy (${what})`;
}

/** A file path may hold a newline; the line must not. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, "?");
}
