import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

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
    else out += `[${JSON.stringify(seg)}]`;
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
 * (for "unknown key" errors), else the value. Falls back to the deepest node
 * found, so every error gets some position.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  target: "key" | "value" = "value",
): SourcePos {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let pos = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = pair.key as Node;
      const last = i === path.length - 1;
      if (last && target === "key") {
        pos = keyNode.range?.[0] ?? pos;
        break;
      }
      node = (pair.value as Node | null) ?? null;
      pos = node?.range?.[0] ?? keyNode.range?.[0] ?? pos;
    } else if (isSeq(node) && typeof seg === "number") {
      node = (node.items[seg] as Node | undefined) ?? null;
      if (!node) break;
      pos = node.range?.[0] ?? pos;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(pos);
  return { line, col };
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
