import { UserError } from "../errors.js";
import type { DesiredFleet } from "../roster/types.js";

/** Names given on the command line must be roster agents, and enabled unless `enabled: "any"` (a stop). */
export function requireAgents(desired: DesiredFleet, names: readonly string[], flag: string, opts: { enabled: "required" | "any" } = { enabled: "required" }): void {
  for (const name of names) {
    const agent = desired.agents.find((a) => a.name === name);
    if (!agent) {
      const known = desired.agents.map((a) => a.name).join(", ") || "(none)";
      throw new UserError(`${flag}: no agent "${name}" in the roster ${desired.rosterPath}`, [`Agents: ${known}`]);
    }
    if (!agent.enabled && opts.enabled === "required") throw new UserError(`${flag}: agent "${name}" is disabled in the roster (enabled: false)`);
  }
}
