import { safeJsonString } from "../text/safe-text.js";
import { isMap, isScalar, isSeq, type Alias, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
import { deref, isMergeKey } from "./merge-keys.js";

export type PathSegment = string | number;

export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

/** `agents[1].name`, the way a user would point at a key in the roster. */
export function displayPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${safeJsonString(seg)}]`;
  }
  return out === "" ? "(top level)" : out;
}

/** JSON pointer (as ajv reports it) to path segments. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/**
 * Where `path` starts in the source: the key itself when `target` is "key"
 * (for "unknown key" errors), else the value. Follows aliases and `<<`
 * merges to where a value is written, even if that is inside an anchor
 * shared by many agents. Falls back to the deepest node found, so every
 * error gets some position.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  target: "key" | "value" = "value",
  targets: ReadonlyMap<Alias, Node> = new Map(),
): SourcePos {
  let node = deref(doc.contents, targets) as Node | null | undefined;
  let pos = doc.contents?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = findPair(node, String(seg), targets);
      if (!pair) break;
      const keyNode = pair.key as Node;
      const last = i === path.length - 1;
      if (last && target === "key") {
        pos = keyNode.range?.[0] ?? pos;
        break;
      }
      const value = pair.value as Node | null;
      pos = value?.range?.[0] ?? keyNode.range?.[0] ?? pos;
      node = deref(value, targets) as Node | undefined;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      pos = item.range?.[0] ?? pos;
      node = deref(item, targets) as Node | undefined;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(pos);
  return { line, col };
}

/** The pair that gives `map` its `key`: its own, else the first merged mapping that has it, as YAML merges. */
function findPair(map: YAMLMap, key: string, targets: ReadonlyMap<Alias, Node>): Pair | undefined {
  const own = map.items.find((p) => isScalar(p.key) && !isMergeKey(p.key) && String(p.key.value) === key);
  if (own) return own;
  for (const p of map.items) {
    if (!isMergeKey(p.key)) continue;
    const value = deref(p.value, targets);
    for (const source of isSeq(value) ? value.items : [value]) {
      const merged = deref(source, targets);
      const found = isMap(merged) ? findPair(merged, key, targets) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** The plain-data value at `path`, or undefined where the path leads nowhere. */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}
