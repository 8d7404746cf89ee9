import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node } from "yaml";
import type { OffsetProblem } from "./yaml-errors.js";

/** With `merge: true` the yaml package reads a plain `<<` key as a symbol; a quoted '<<' stays a string. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol";
}

/** The node an alias names, or the node itself. Anchors are never set on aliases, so one step is enough. */
export function deref(node: unknown, targets: ReadonlyMap<Alias, Node>): unknown {
  return isAlias(node) ? targets.get(node) : node;
}

const MERGE_HELP = "<<: can only merge a mapping (<<: *name) or a list of them (<<: [*a, *b])";

/**
 * `<<` merges mappings only. Checked here, on the syntax tree, so the
 * mistake is reported at the offending value; the yaml package would throw
 * one unlocated error while converting.
 */
export function findMergeProblems(doc: Document, targets: ReadonlyMap<Alias, Node>): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  const isMapping = (node: unknown) => isMap(deref(node, targets));
  const at = (node: unknown) => out.push({ offset: (node as Node | null)?.range?.[0] ?? 0, message: MERGE_HELP });
  visit(doc, {
    Pair(_, pair) {
      if (!isMergeKey(pair.key)) return;
      const value = deref(pair.value, targets);
      const ok = isMapping(value) || (isSeq(value) && value.items.every(isMapping));
      if (ok) return;
      // A written list points at its bad item; an alias at itself, where the mistake was made.
      if (isSeq(value) && !isAlias(pair.value)) value.items.filter((i) => !isMapping(i)).forEach(at);
      else at(pair.value);
    },
  });
  return out;
}
