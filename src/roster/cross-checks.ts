import { isCollection, isMap, isScalar, visit, type Document, type LineCounter } from "yaml";
import type { PathSegment, SourcePos } from "./locate.js";
import { commandProblem, tildeProblem, type PathBase } from "./agent-paths.js";

export interface CrossCheckProblem {
  readonly path: PathSegment[];
  readonly message: string;
  readonly value?: unknown;
}

/**
 * Rules a JSON Schema cannot state clearly: unique agent names, a command
 * set on the agent or in defaults, no `~user` paths, and a command that
 * env can launch from where the roster is. Runs on whatever shape the data
 * has, so its findings are reported together with the schema's.
 */
export function crossCheckRoster(data: unknown, base: PathBase): CrossCheckProblem[] {
  const problems: CrossCheckProblem[] = [];
  if (data === null || typeof data !== "object") return problems;
  problems.push(...nulProblems(data, []));
  const root = data as { agents?: unknown; defaults?: { command?: unknown } };
  problems.push(...pathProblems(root.defaults, ["defaults"], base));
  if (!Array.isArray(root.agents)) return problems;
  const defaultCommand = root.defaults && typeof root.defaults === "object" ? root.defaults.command : undefined;
  const firstIndex = new Map<string, number>();
  root.agents.forEach((agent: unknown, i) => {
    if (agent === null || typeof agent !== "object") return;
    problems.push(...pathProblems(agent, ["agents", i], base));
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

function pathProblems(settings: unknown, at: PathSegment[], base: PathBase): CrossCheckProblem[] {
  if (settings === null || typeof settings !== "object") return [];
  const out: CrossCheckProblem[] = [];
  for (const key of ["cwd", "command"] as const) {
    const value = (settings as Record<string, unknown>)[key];
    const message = typeof value === "string" ? tildeProblem(value) : undefined;
    if (message) out.push({ path: [...at, key], value, message });
  }
  const command = (settings as Record<string, unknown>).command;
  // A literal "=" is the schema's to report; this catches one the roster's folder or home adds.
  const message = typeof command === "string" && !command.includes("=") ? commandProblem(command, base) : undefined;
  if (message) out.push({ path: [...at, "command"], value: command, message });
  return out;
}

/**
 * Keys the roster cannot use, each located at the key: a repeat (the yaml
 * package can refuse those itself, but it points at the mapping, not the
 * key), and a list or mapping used as a key (which would reach the schema
 * as its flattened text, and makes the yaml package print a warning of its own).
 */
export function findKeyProblems(doc: Document, lineCounter: LineCounter): { pos: SourcePos; message: string }[] {
  const out: { pos: SourcePos; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (isCollection(pair.key)) {
          out.push({ pos: lineCounter.linePos(pair.key.range?.[0] ?? 0), message: "a key must be a plain name, not a list or mapping" });
          continue;
        }
        if (!isScalar(pair.key)) continue;
        const key = keyText(pair.key.value);
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

/** With merge keys on, the yaml package reads a `<<` key as a symbol. */
function keyText(value: unknown): string {
  return typeof value === "symbol" ? (value.description ?? "") : String(value);
}

/**
 * A YAML string may hold a NUL ("\0"); nothing mosaic passes it to can: an
 * argv element, a path or an environment value ends at the first NUL, and
 * the launch file uses NUL between fields. Every string, at any depth.
 */
function nulProblems(value: unknown, path: PathSegment[]): CrossCheckProblem[] {
  if (typeof value === "string") {
    return value.includes("\0") ? [{ path, message: "contains a NUL byte, which no program argument, path or environment value can hold" }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nulProblems(v, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => nulProblems(v, [...path, k]));
  return [];
}

