import type { ResourceChange } from "../plan/types.js";

/**
 * Dependencies first, otherwise plan order (a stable topological sort).
 * Ordering is data in the plan; the executor only follows it.
 */
export function executionOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ResourceChange[] = [];
  const visit = (c: ResourceChange) => {
    if (done.has(c.address)) return;
    if (visiting.has(c.address)) throw new Error(`dependency cycle at ${c.address}`);
    visiting.add(c.address);
    for (const dep of c.dependsOn) {
      const d = byAddress.get(dep);
      if (d) visit(d);
    }
    visiting.delete(c.address);
    done.add(c.address);
    out.push(c);
  };
  changes.forEach(visit);
  return out;
}
