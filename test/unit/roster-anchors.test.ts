import { describe, expect, it, vi } from "vitest";
import { errorsOf, parse, y } from "../helpers/roster.js";
import { parseDocument } from "yaml";
import { expandedSize, MAX_EXPANDED_SIZE } from "../../src/roster/aliases.js";

/**
 * The work a roster costs, counted rather than timed: every document the
 * yaml package parses (for mosaic's loader too) has each collection's
 * `items` read through a counter, and its conversion to plain data
 * (`toJS`, after which aliases are shared objects that validation walks in
 * full) counted. A pass over the file reads the items a few times per
 * entry written in it, while walking into what an alias names reads it
 * once more for every alias to it: a bomb's 10^10 nodes would be billions
 * of reads. (The timings are in bench/, never here.)
 */
const work = vi.hoisted(() => ({ reads: 0, collections: 0, entries: 0, conversions: 0 }));
vi.mock("yaml", async (importOriginal) => {
  const yaml = await importOriginal<typeof import("yaml")>();
  const counted = <D extends import("yaml").Document.Parsed>(doc: D): D => {
    let collections = 0;
    let entries = 0;
    yaml.visit(doc, {
      Collection(_, node) {
        collections++;
        entries += node.items.length;
        let items = node.items;
        Object.defineProperty(node, "items", {
          configurable: true,
          enumerable: true,
          get: () => (work.reads++, items),
          set: (value: typeof items) => void (items = value),
        });
      },
    });
    Object.assign(work, { reads: 0, collections, entries, conversions: 0 });
    const toJS = doc.toJS.bind(doc);
    doc.toJS = ((...args: Parameters<typeof toJS>) => (work.conversions++, toJS(...args))) as typeof toJS;
    return doc;
  };
  return { ...yaml, parseDocument: ((...args: Parameters<typeof yaml.parseDocument>) => counted(yaml.parseDocument(...args))) as typeof yaml.parseDocument };
});

/**
 * Reads of collections' items a refusal may cost per entry written in the
 * file: a few passes (the alias measure, the key and merge checks, each
 * walk reading a collection's items once per entry it visits) and the
 * locating of the error. Measured today: 4.3 to 5.6.
 */
const READS_PER_ENTRY = 10;

/** `levels` anchors, each a list of `width` aliases to the one before: width^levels nodes once expanded. */
function laughs(levels: number, width: number): string[] {
  const lines = [`x-l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++) lines.push(`x-l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
  return lines;
}

describe("anchors and aliases a real roster uses", () => {
  it("loads 64 agents that all reuse one anchored env and one anchored argument list", () => {
    const lines = ["x-common: &common { API_BASE: 'https://x', LOG: debug, TEAM: core }", "x-flags: &flags [--quiet, --no-color]", "agents:"];
    for (let i = 0; i < 64; i++) lines.push(`  - name: agent-${i}`, "    command: pi", "    args: *flags", "    env: *common");
    const fleet = parse(y(lines));
    expect(work.conversions).toBe(1);
    expect(fleet.agents).toHaveLength(64);
    for (const a of fleet.agents) expect(a).toMatchObject({ args: ["--quiet", "--no-color"], env: { API_BASE: "https://x", LOG: "debug", TEAM: "core" } });
  });

  it("merges an anchored mapping with <<, the agent's own keys winning wherever they are written", () => {
    const fleet = parse(
      y([
        "x-agent: &agent { command: pi, cwd: ~/work, args: [--quiet], env: { A: '1' } }",
        "agents:",
        "  - name: a",
        "    <<: *agent",
        "  - <<: *agent",
        "    name: b",
        "    args: [--loud]",
        "  - name: c",
        "    cwd: /srv/c",
        "    <<: *agent",
      ]),
    );
    const byName = Object.fromEntries(fleet.agents.map((a) => [a.name, a]));
    expect(byName.a).toMatchObject({ command: "pi", cwd: "/home/op/work", args: ["--quiet"], env: { A: "1" } });
    expect(byName.b).toMatchObject({ command: "pi", cwd: "/home/op/work", args: ["--loud"] });
    expect(byName.c).toMatchObject({ command: "pi", cwd: "/srv/c", args: ["--quiet"] });
  });

  it("merges a list of anchors, the earlier one winning", () => {
    const fleet = parse(
      y([
        "x-fast: &fast { command: pi, args: [--fast] }",
        "x-base: &base { command: claude, cwd: /srv, args: [--slow] }",
        "agents:",
        "  - name: a",
        "    <<: [*fast, *base]",
      ]),
    );
    expect(fleet.agents[0]).toMatchObject({ command: "pi", args: ["--fast"], cwd: "/srv" });
  });

  it("allows and ignores top-level x- extension keys, and only there", () => {
    const fleet = parse(y(["x-notes: anything at all", "x-common: &c { command: pi }", "agents:", "  - name: a", "    <<: *c"]));
    expect(fleet.agents.map((a) => a.command)).toEqual(["pi"]);
    expect(errorsOf(y(["agents:", "  - name: a", "    command: pi", "    x-mine: 1"]))).toEqual([`roster.yaml:4:5: agents[0]["x-mine"]: unknown key (expected one of: name, command, args, resume_args, cwd, env, env_file, enabled, on_spec_change, stop_grace_seconds, ready_after_seconds, submit)`]);
  });

  it("locates a problem that came in through an alias or a merge where it is written", () => {
    const errors = errorsOf(
      y([
        "x-base: &base",
        "  command: pi",
        "  comand: typo",
        "x-env: &env { PORT: 8080 }",
        "agents:",
        "  - name: a",
        "    <<: *base",
        "    env: *env",
      ]),
    );
    expect(errors).toEqual([
      `roster.yaml:3:3: agents[0].comand: unknown key (did you mean "command"?)`,
      `roster.yaml:4:21: agents[0].env.PORT 8080: must be a string (quote it: "8080")`,
    ]);
  });
});

describe("anchors and aliases a roster cannot use", () => {
  it("refuses a billion-laughs bomb (10 levels of 10) without expanding it, at the alias where it grows too far", () => {
    const errors = errorsOf(y([...laughs(10, 10), "agents: []"]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^roster\.yaml:6:\d+: refused: YAML aliases expand too far \(past 4000000 nodes and characters; a real roster is far smaller\)$/);
    expect(work.collections).toBe(12); // the top mapping, 10 lists, `agents: []`
    expect(work.conversions, "refused before its aliases are expanded into data").toBe(0);
    expect(work.reads, "reads of the file's collections: a few passes, never one per alias").toBeLessThanOrEqual(READS_PER_ENTRY * work.entries);
  });

  it("refuses a deeper bomb (2^100) with as little work", () => {
    const errors = errorsOf(y([...laughs(100, 2), "agents: []"]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/refused: YAML aliases expand too far/);
    expect(work.collections).toBe(102);
    expect(work.conversions, "refused before its aliases are expanded into data").toBe(0);
    expect(work.reads, "reads of the file's collections: a few passes, never one per alias").toBeLessThanOrEqual(READS_PER_ENTRY * work.entries);
  });

  it("refuses a bomb built from merge keys with as little work", () => {
    const lines = ["x-m0: &m0 { a: lol, b: lol }"];
    for (let i = 1; i < 40; i++) lines.push(`x-m${i}: &m${i} { <<: [*m${i - 1}, *m${i - 1}], k${i}: [*m${i - 1}, *m${i - 1}] }`);
    const errors = errorsOf(y([...lines, "agents: []"]));
    expect(errors).toEqual([expect.stringMatching(/refused: YAML aliases expand too far/)]);
    expect(work.collections).toBe(2 + 40 + 39 * 2); // and each level's two merge lists
    expect(work.conversions, "refused before its aliases are expanded into data").toBe(0);
    expect(work.reads, "reads of the file's collections: a few passes, never one per alias").toBeLessThanOrEqual(READS_PER_ENTRY * work.entries);
  });

  it("refuses an alias inside the node it names", () => {
    expect(errorsOf(y(["agents: &a", "  - name: a", "    command: pi", "    args: *a"]))).toEqual(["roster.yaml:4:11: alias *a: is inside the node it names, so it would never end"]);
  });

  it("refuses an alias with no anchor before it", () => {
    expect(errorsOf(y(["agents:", "  - name: a", "    command: pi", "    env: *common", "x-common: &common { A: '1' }"]))).toEqual([
      "roster.yaml:4:10: alias *common: no anchor &common is set before it",
    ]);
  });

  it("refuses a second << in one mapping, naming the key as written", () => {
    expect(errorsOf(y(["x-a: &a { command: pi }", "agents:", "  - name: a", "    <<: *a", "    <<: *a"]))).toEqual(['roster.yaml:5:5: duplicate key "<<"; first set on line 4']);
  });

  it("refuses a merge of something that is not a mapping", () => {
    expect(errorsOf(y(["x-args: &args [--x]", "agents:", "  - name: a", "    command: pi", "    <<: *args"]))).toEqual([
      "roster.yaml:5:9: <<: can only merge a mapping (<<: *name) or a list of them (<<: [*a, *b])",
    ]);
    expect(errorsOf(y(["x-a: &a { command: pi }", "agents:", "  - name: a", "    <<: [*a, 3]"]))).toEqual([
      "roster.yaml:4:14: <<: can only merge a mapping (<<: *name) or a list of them (<<: [*a, *b])",
    ]);
  });
});

describe("expandedSize", () => {
  const sizeOf = (text: string) => expandedSize(parseDocument(text, { merge: true })).size;

  it("counts nodes plus scalar characters, an alias as the node it names", () => {
    expect(sizeOf("a: xyz\n")).toBe(1 + (1 + 1) + (1 + 3));
    expect(sizeOf("a: &x xyz\nb: *x\n")).toBe(1 + 2 + 4 + 2 + 4);
  });

  it("saturates instead of overflowing", () => {
    const size = sizeOf(y(laughs(100, 2)));
    expect(Number.isSafeInteger(size)).toBe(true);
    expect(size).toBeGreaterThan(MAX_EXPANDED_SIZE);
  });

  it("takes linear time: each node is measured once, an alias by the size already known of what it names", () => {
    // 300 levels of 100 aliases: 30,000 alias nodes, 100^300 nodes once expanded.
    const doc = parseDocument(y(laughs(300, 100)));
    expect(work.collections).toBe(301); // the top mapping and 300 lists
    const result = expandedSize(doc);
    expect(result.size).toBe(Number.MAX_SAFE_INTEGER);
    expect(work.reads, "one read of each collection's items").toBe(work.collections);
  });
});
