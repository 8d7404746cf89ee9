import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from "yaml";
import type { OffsetProblem } from "./yaml-errors.js";

/**
 * A bound on the roster once every alias is expanded, in nodes plus scalar
 * characters. A 1 MiB file without aliases stays near 2,000,000; a real
 * roster is a few thousand. Nested aliases can reach 10^10 and more (the
 * "billion laughs" bomb), which must be refused before anything expands.
 */
export const MAX_EXPANDED_SIZE = 4_000_000;

export interface AliasReport {
  /** The node each alias names, for checks and error positions inside it. */
  readonly targets: ReadonlyMap<Alias, Node>;
  /** Expanded size of the whole document, saturating at Number.MAX_SAFE_INTEGER. */
  readonly size: number;
  /** Where, in document order, the expanded size first passes the limit. */
  readonly overLimitAt?: number;
  /** Aliases that name no earlier anchor, or the node they sit in. */
  readonly problems: readonly OffsetProblem[];
}

interface Frame {
  readonly node: Node;
  readonly children: readonly unknown[];
  next: number;
  total: number;
}

const add = (a: number, b: number) => Math.min(a + b, Number.MAX_SAFE_INTEGER);

/**
 * Measure the document as if every alias were expanded, without expanding
 * any. One pass in document order (the order the yaml package resolves
 * aliases in): an alias names the last node anchored under its name before
 * it, which is either finished, so its size is known, or still open, so the
 * alias sits inside it. Each node is visited once, so time is linear in the
 * file, and an explicit stack keeps deep nesting off the call stack.
 */
export function expandedSize(doc: Document, limit = MAX_EXPANDED_SIZE): AliasReport {
  const targets = new Map<Alias, Node>();
  const problems: OffsetProblem[] = [];
  const anchors = new Map<string, Node>();
  const sizeOfAnchored = new Map<Node, number>();
  const open = new Set<Node>();
  const stack: Frame[] = [];
  let running = 0;
  let overLimitAt: number | undefined;

  const count = (n: number, node: Node) => {
    running = add(running, n);
    if (overLimitAt === undefined && running > limit) overLimitAt = node.range?.[0] ?? 0;
  };

  /** Size of a node that has no children to walk, or undefined once it is pushed. */
  const reach = (node: unknown): number | undefined => {
    if (isAlias(node)) return aliasSize(node);
    if (!isScalar(node) && !isCollection(node)) return 0; // an empty value
    if (node.anchor) anchors.set(node.anchor, node);
    if (isScalar(node)) {
      const size = 1 + scalarLength(node.value);
      count(size, node);
      if (node.anchor) sizeOfAnchored.set(node, size);
      return size;
    }
    count(1, node);
    if (node.anchor) open.add(node);
    stack.push({ node, children: node.items.flatMap((item) => (isPair(item) ? [item.key, item.value] : [item])), next: 0, total: 1 });
    return undefined;
  };

  const aliasSize = (alias: Alias): number => {
    const target = anchors.get(alias.source);
    const at = alias.range?.[0] ?? 0;
    if (target === undefined) {
      problems.push({ offset: at, message: `alias *${alias.source}: no anchor &${alias.source} is set before it` });
      return 0;
    }
    targets.set(alias, target);
    if (open.has(target)) {
      problems.push({ offset: at, message: `alias *${alias.source}: is inside the node it names, so it would never end` });
      return 0;
    }
    const size = sizeOfAnchored.get(target) ?? 0;
    count(size, alias);
    return size;
  };

  let size = reach(doc.contents) ?? 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = reach(top.children[top.next++]);
      if (child !== undefined) top.total = add(top.total, child);
      continue;
    }
    stack.pop();
    if (open.delete(top.node)) sizeOfAnchored.set(top.node, top.total);
    const parent = stack[stack.length - 1];
    if (parent) parent.total = add(parent.total, top.total);
    else size = top.total;
  }
  return { targets, size, overLimitAt, problems };
}

function scalarLength(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (typeof value === "symbol") return 2; // the `<<` merge key
  if (ArrayBuffer.isView(value)) return value.byteLength; // !!binary
  return String(value).length;
}
