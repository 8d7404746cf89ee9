import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

/**
 * The pipeline's layers, from the imports of src/**\/*.ts as written. An
 * edge is one file importing another; a type-only import (`import type`,
 * or only `type` names) is an edge too for the layer rules, since the
 * layer then cannot be read without the other, but not for I/O, which only
 * a value import can bring in.
 */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
  /** The names imported, as written (`{ a, type B }`, `* as x`, ...). */
  readonly names: string;
}

/**
 * Edges that break a rule today and that a change under way removes. Each
 * names the change; when it lands, its entries go, and the test holds the
 * rule with no exception. Nothing else may be added here.
 */
const KNOWN: readonly (Pick<Edge, "from" | "to"> & { readonly removedBy: string })[] = [];

/** Node's modules that read or change the world; the rest (path, crypto, util, url) compute. */
const IO_BUILTINS = ["fs", "fs/promises", "child_process", "net", "dgram", "dns", "http", "https", "http2", "os", "readline", "readline/promises", "tty", "worker_threads", "cluster", "vm", "process", "stream"];
/** Packages that spawn processes or write. */
const IO_PACKAGES = ["execa"];

/** Whether an import can read or change the world. node:os's `constants` (signal numbers) is a table, not a call. */
function doesIo(e: Edge): boolean {
  const builtin = e.to.replace(/^node:/, "");
  if (builtin === "os" && /^\{\s*constants\s*\}$/.test(e.names)) return false;
  return e.to.startsWith("src/adapters/") || IO_PACKAGES.includes(e.to) || (e.to.startsWith("node:") && IO_BUILTINS.includes(builtin));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Every import and re-export of a file, static or dynamic, with the path it names resolved when it is the project's. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const from = relative(repoRoot, file);
  const resolve = (spec: string) => (spec.startsWith(".") ? relative(repoRoot, join(dirname(file), spec)).replace(/\.js$/, ".ts") : spec);
  const out: Edge[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;"'`]{0,2000}?)\s*from\s+["']([^"'\n]+)["']/gm)) {
    const names = m[2]!.trim();
    const allTypes = /^\{[^}]*\}$/.test(names) && names.slice(1, -1).split(",").map((n) => n.trim()).filter((n) => n !== "").every((n) => n.startsWith("type "));
    out.push({ from, to: resolve(m[3]!), typeOnly: m[1] !== undefined || allTypes, names });
  }
  for (const m of text.matchAll(/^import\s+["']([^"'\n]+)["']/gm)) out.push({ from, to: resolve(m[1]!), typeOnly: false, names: "" });
  for (const m of text.matchAll(/\bimport\(\s*["']([^"'\n]+)["']\s*\)/g)) out.push({ from, to: resolve(m[1]!), typeOnly: false, names: "*" });
  return out;
}

const edges = sourceFiles(join(repoRoot, "src")).flatMap(importsOf);
const under = (folder: string) => (path: string) => path.startsWith(`src/${folder}/`);
const known = (e: Edge) => KNOWN.some((k) => k.from === e.from && k.to === e.to);
const crossing = (from: (p: string) => boolean, to: (p: string) => boolean) =>
  edges.filter((e) => from(e.from) && to(e.to) && !known(e)).map((e) => `${e.from} -> ${e.to}${e.typeOnly ? " (type)" : ""}`);

describe("the layers, from the imports", () => {
  it("reads the imports it judges by", () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: "src/plan/plan.ts", to: "src/plan/kinds/order.ts", typeOnly: false, names: "{ linkChanges }" });
    expect(edges).toContainEqual({ from: "src/plan/kinds/kind.ts", to: "src/observe/types.ts", typeOnly: true, names: "{ ObservedFleet }" });
    expect(edges.filter((e) => e.from === "src/adapters/exec.ts").map((e) => e.to)).toContain("execa");
  });

  it("the planner imports nothing from the adapters", () => {
    expect(crossing(under("plan"), under("adapters"))).toEqual([]);
  });

  it("rendering imports nothing from the executor", () => {
    expect(crossing(under("render"), under("apply"))).toEqual([]);
  });

  it("identity imports nothing from the stages above it", () => {
    const above = (p: string) => ["adapters", "observe", "plan", "apply", "render", "cli"].some((f) => under(f)(p));
    expect(crossing(under("identity"), above)).toEqual([]);
  });

  it("the planner reaches nothing that does I/O, through any chain of value imports", () => {
    const reached = new Set<string>();
    const io: string[] = [];
    const queue = [...new Set(edges.filter((e) => under("plan")(e.from)).map((e) => e.from))].map((f) => [f]);
    while (queue.length > 0) {
      const chain = queue.shift()!;
      const at = chain.at(-1)!;
      if (reached.has(at)) continue;
      reached.add(at);
      for (const e of edges.filter((x) => x.from === at && !x.typeOnly && !known(x))) {
        if (doesIo(e)) io.push([...chain, e.to].join(" -> "));
        else queue.push([...chain, e.to]);
      }
    }
    expect(io).toEqual([]);
  });

  it("every allowed edge still exists: once its change lands, the entry must go", () => {
    for (const k of KNOWN) expect(edges.some((e) => e.from === k.from && e.to === k.to), `${k.from} -> ${k.to} (${k.removedBy})`).toBe(true);
  });
});
