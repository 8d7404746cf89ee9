import { isMap, isScalar, visit, type Document, type LineCounter } from "yaml";
import type { PathSegment, SourcePos } from "./locate.js";

export interface CrossCheckProblem {
  readonly path: PathSegment[];
  readonly message: string;
  readonly value?: unknown;
}

/**
 * Rules a JSON Schema cannot state: unique agent names, and a command set
 * on the agent or in defaults. Runs on whatever shape the data has, so its
 * findings are reported together with the schema's.
 */
export function crossCheckRoster(data: unknown): CrossCheckProblem[] {
  const problems: CrossCheckProblem[] = [];
  if (data === null || typeof data !== "object") return problems;
  const root = data as { agents?: unknown; defaults?: { command?: unknown } };
  if (!Array.isArray(root.agents)) return problems;
  const defaultCommand = root.defaults && typeof root.defaults === "object" ? root.defaults.command : undefined;
  const firstIndex = new Map<string, number>();
  root.agents.forEach((agent: unknown, i) => {
    if (agent === null || typeof agent !== "object") return;
    const { name, command } = agent as { name?: unknown; command?: unknown };
    if (typeof name === "string") {
      const first = firstIndex.get(name);
      if (first !== undefined) problems.push({ path: ["agents", i, "name"], value: name, message: `duplicate agent name; agents[${first}] already uses it` });
      else firstIndex.set(name, i);
    }
    if (command === undefined && defaultCommand === undefined) {
      problems.push({ path: ["agents", i], message: `has no command: set agents[${i}].command or defaults.command` });
    }
  });
  return problems;
}

/**
 * Duplicate keys in any mapping, each located at the repeat. The yaml
 * package can refuse them itself, but it points at the mapping, not the key.
 */
export function findDuplicateKeys(doc: Document, lineCounter: LineCounter): { pos: SourcePos; message: string }[] {
  const out: { pos: SourcePos; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const at = pair.key.range?.[0] ?? 0;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, at);
        } else {
          out.push({ pos: lineCounter.linePos(at), message: `duplicate key "${key}"; first set on line ${lineCounter.linePos(first).line}` });
        }
      }
    },
  });
  return out;
}
