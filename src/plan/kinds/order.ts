import type { ResourceChange, ResourceType } from "../types.js";
import { kindOf } from "./index.js";
import { PHASES, type ChangeOf, type PlannedChanges } from "./kind.js";

/**
 * The plan's changes with their edges, in the order they are shown and
 * applied: each change after every change it waits for (the edges its kind
 * gives), and otherwise by its kind's phase, then in the order the planners
 * made them. Equal inputs give equal orders, byte for byte.
 */
export function linkChanges(planned: readonly ResourceChange[]): ResourceChange[] {
  const byAddress = new Map(planned.map((c) => [c.address, c]));
  const view: PlannedChanges = {
    at: (address) => byAddress.get(address),
    of: <K extends ResourceType>(type: K) => planned.filter((c) => c.type === type) as ChangeOf<K>[],
  };
  const linked = planned.map((c) => {
    const kind = kindOf(c.type);
    const dependsOn = kind.edges(c, view);
    for (const address of dependsOn) {
      const target = byAddress.get(address);
      // The kinds a kind depends on are data the README and tests read: an edge elsewhere is a bug in the kind.
      if (target === undefined || !kind.dependsOn.includes(target.type)) throw new Error(`${c.address} waits for ${address}, which is no change of a kind ${c.type} depends on`);
    }
    return { ...c, dependsOn };
  });
  return topologicalOrder(linked);
}

/** Kahn's algorithm, taking among the changes whose edges are met the one of the earliest phase, then planned first. */
function topologicalOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  const rank = changes.map((c, i) => PHASES.indexOf(kindOf(c.type).phase(c)) * changes.length + i);
  const index = new Map(changes.map((c, i) => [c.address, i]));
  const waiting = changes.map((c) => c.dependsOn.length);
  const waiters = changes.map(() => [] as number[]);
  changes.forEach((c, i) => c.dependsOn.forEach((a) => waiters[index.get(a)!]!.push(i)));
  // Ready changes, highest rank first, so the next one is popped off the end.
  const ready: number[] = [];
  const enqueue = (i: number) => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rank[ready[mid]!]! > rank[i]!) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, i);
  };
  changes.forEach((_, i) => waiting[i] === 0 && enqueue(i));
  const out: ResourceChange[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    out.push(changes[next]!);
    for (const w of waiters[next]!) if (--waiting[w]! === 0) enqueue(w);
  }
  if (out.length !== changes.length) throw new Error(`the plan's edges form a cycle among: ${changes.filter((c) => !out.includes(c)).map((c) => c.address).join(", ")}`);
  return out;
}
