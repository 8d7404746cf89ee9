import { kindOf } from "./kinds/index.js";
import type { ChangeOf } from "./kinds/kind.js";
import type { ResourceChange } from "./types.js";

/** The roster agent a change is part of, or null for the fleet's own (its kind says: ResourceKind.agent). */
export function agentOf(change: ResourceChange): string | null {
  return kindOf(change.type).agent(change as ChangeOf<typeof change.type>);
}

/**
 * A plan limited to some agents (`fleet start --agent`, Terraform's
 * `-target`): their changes, and the fleet's own changes those wait for
 * (the holder's session they need, a daemon-reload before their unit), in
 * the plan's order. Another agent's change is never pulled in: an edge
 * between agents only orders them (the stop of the agent running this
 * command goes last), so it is dropped with them. Everything else stays
 * as it is, for the next full plan to show.
 */
export function limitToAgents(changes: readonly ResourceChange[], agents: readonly string[]): ResourceChange[] {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const kept = new Set<string>();
  const keep = (c: ResourceChange) => {
    if (kept.has(c.address)) return;
    kept.add(c.address);
    for (const a of c.dependsOn) {
      const dependency = byAddress.get(a);
      if (dependency !== undefined && agentOf(dependency) === null) keep(dependency);
    }
  };
  for (const c of changes) {
    const agent = agentOf(c);
    if (agent !== null && agents.includes(agent)) keep(c);
  }
  return changes.filter((c) => kept.has(c.address)).map((c) => (c.dependsOn.every((a) => kept.has(a)) ? c : { ...c, dependsOn: c.dependsOn.filter((a) => kept.has(a)) }));
}
