import { UserError } from "../errors.js";
import type { DesiredFleet } from "../roster/types.js";

/** Names given on the command line must be enabled roster agents. */
export function requireAgents(desired: DesiredFleet, names: readonly string[], flag: string): void {
  for (const name of names) {
    const agent = desired.agents.find((a) => a.name === name);
    if (!agent) {
      const known = desired.agents.map((a) => a.name).join(", ") || "(none)";
      throw new UserError(`${flag}: no agent "${name}" in the roster ${desired.rosterPath}`, [`Agents: ${known}`]);
    }
    if (!agent.enabled) throw new UserError(`${flag}: agent "${name}" is disabled in the roster (enabled: false)`);
  }
}
