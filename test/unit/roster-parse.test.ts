import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rosterJson } from "../../src/render/roster-json.js";
import { BACKEND_CHOICES, DEFAULT_BACKEND } from "../../src/roster/types.js";
import { repoRoot } from "../helpers/cli.js";
import { errorsOf, parse, y } from "../helpers/roster.js";

describe("roster errors name file:line:col, the key and the value", () => {
  it.each([
    ["bad agent name", y(["agents:", "  - name: ok", "    command: pi", "  - name: bad.name", "    command: pi"]), `roster.yaml:4:11: agents[1].name "bad.name": may contain only a-z, 0-9, '-' and '_'`],
    ["name with a colon", y(["agents:", "  - name: a:b", "    command: pi"]), `roster.yaml:2:11: agents[0].name "a:b": may contain only a-z, 0-9, '-' and '_'`],
    ["name with a space", y(["agents:", "  - name: 'a b'", "    command: pi"]), `roster.yaml:2:11: agents[0].name "a b": may contain only a-z, 0-9, '-' and '_'`],
    ["name starting with '-'", y(["agents:", "  - name: -x", "    command: pi"]), `roster.yaml:2:11: agents[0].name "-x": must start with a letter or digit`],
    ["name too long", y(["agents:", `  - name: ${"a".repeat(65)}`, "    command: pi"]), `roster.yaml:2:11: agents[0].name "${"a".repeat(56)}...": must be at most 64 characters`],
    ["reserved name", y(["agents:", "  - name: _holder", "    command: pi"]), `roster.yaml:2:11: agents[0].name "_holder": is reserved for the session that keeps the fleet's tmux server alive`],
    ["duplicate name", y(["agents:", "  - name: a", "    command: pi", "  - name: a", "    command: pi"]), `roster.yaml:4:11: agents[1].name "a": duplicate agent name; agents[0] already uses it`],
    ["missing name", y(["agents:", "  - command: pi"]), `roster.yaml:2:5: agents[0]: missing required key "name"`],
    ["no command anywhere", y(["agents:", "  - name: a"]), `roster.yaml:2:5: agents[0]: has no command: set agents[0].command or defaults.command`],
    ["unknown key with a suggestion", y(["agents:", "  - name: a", "    command: pi", "    comand: pi"]), `roster.yaml:4:5: agents[0].comand: unknown key (did you mean "command"?)`],
    ["unknown top-level key", y(["agents: []", "sockett: x"]), `roster.yaml:2:1: sockett: unknown key (did you mean "socket"?)`],
    ["unknown top-level key, no close match", y(["common: &c { command: pi }", "agents: []"]), `roster.yaml:1:1: common: unknown key (expected one of: version, socket, backend, defaults, agents; or start it with x- to keep anchors there)`],
    ["missing agents list", y(["socket: x"]), `roster.yaml:1:1: missing required key "agents"`],
    ["wrong type", y(["agents:", "  - name: a", "    command: pi", "    args: --x"]), `roster.yaml:4:11: agents[0].args "--x": must be a list`],
    ["unquoted number in env", y(["agents:", "  - name: a", "    command: pi", "    env:", "      PORT: 8080"]), `roster.yaml:5:13: agents[0].env.PORT 8080: must be a string (quote it: "8080")`],
    ["bad env name", y(["agents:", "  - name: a", "    command: pi", "    env:", "      1X: 'y'"]), `roster.yaml:5:7: agents[0].env["1X"]: is not a valid environment variable name (letters, digits and '_', not starting with a digit)`],
    ["bad enum", y(["agents:", "  - name: a", "    command: pi", "    on_spec_change: later"]), `roster.yaml:4:21: agents[0].on_spec_change "later": must be one of "replace", "hold"`],
    ["bad backend", y(["backend: sysd", "agents: []"]), `roster.yaml:1:10: backend "sysd": must be one of "auto", "systemd", "direct"`],
    ["backend in another case", y(["agents: []", "backend: Direct"]), `roster.yaml:2:10: backend "Direct": must be one of "auto", "systemd", "direct"`],
    ["backend not a string", y(["backend: true", "agents: []"]), `roster.yaml:1:10: backend true: must be one of "auto", "systemd", "direct"`],
    ["backend in defaults", y(["defaults:", "  backend: direct", "agents: []"]), `roster.yaml:2:3: defaults.backend: unknown key (backend is a setting of the whole fleet: put it at the top level of the roster)`],
    ["backend on an agent", y(["agents:", "  - name: a", "    command: pi", "    backend: systemd"]), `roster.yaml:4:5: agents[0].backend: unknown key (backend is a setting of the whole fleet: put it at the top level of the roster)`],
    ["bad socket", y(["socket: my.socket", "agents: []"]), `roster.yaml:1:9: socket "my.socket": may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)`],
    ["socket starting with '-'", y(["socket: -L", "agents: []"]), `roster.yaml:1:9: socket "-L": must start with a letter, digit or '_'`],
    ["the default tmux socket", y(["agents: []", "socket: default"]), `roster.yaml:2:9: socket "default": is the default tmux server's socket; the fleet needs a socket of its own, e.g. mosaic-factory`],
    ["bad version", y(["version: 2", "agents: []"]), `roster.yaml:1:10: version 2: must be 1`],
    ["out of range", y(["agents:", "  - name: a", "    command: pi", "    submit: { settle_ms: -5 }"]), `roster.yaml:4:26: agents[0].submit.settle_ms -5: must be at least 0`],
    ["a submit key tmux would read as an option", y(["agents:", "  - name: a", "    command: pi", "    submit: { key: -X }"]), `roster.yaml:4:20: agents[0].submit.key "-X": must be a tmux key name such as Enter, C-m or Tab`],
    ["ready wait below 0", y(["agents:", "  - name: a", "    command: pi", "    ready_after_seconds: -1"]), `roster.yaml:4:26: agents[0].ready_after_seconds -1: must be at least 0`],
    ["ready wait above 600", y(["defaults:", "  ready_after_seconds: 601", "agents: []"]), `roster.yaml:2:24: defaults.ready_after_seconds 601: must be at most 600`],
    ["ready wait not a number", y(["agents:", "  - name: a", "    command: pi", "    ready_after_seconds: '2'"]), `roster.yaml:4:26: agents[0].ready_after_seconds "2": must be a number`],
    ["name in defaults", y(["defaults:", "  name: x", "agents: []"]), `roster.yaml:2:3: defaults.name: unknown key (every agent needs its own name; it cannot have a default)`],
    ["duplicate YAML key", y(["agents: []", "socket: a", "socket: b"]), `roster.yaml:3:1: duplicate key "socket"; first set on line 2`],
    ["YAML syntax", y(["agents: []", "socket: x: y"]), /^roster\.yaml:2:9: invalid YAML: Nested mappings are not allowed/],
    ["two YAML documents", y(["agents: []", "---", "agents: []"]), "roster.yaml:2:1: the roster must be a single YAML document; found a second one (---)"],
    ["a document after an end marker", y(["agents: []", "...", "socket: x"]), "roster.yaml:3:1: the roster must be a single YAML document; found a second one (after ...)"],
    ["a list as a key", y(["agents: []", "? [a, b]", ": 1"]), "roster.yaml:2:3: a key must be a plain name, not a list or mapping"],
    ["nesting too deep to read", `agents: ${"[".repeat(5000)}${"]".repeat(5000)}\n`, /^roster\.yaml:1:\d+: invalid YAML: nested too deeply to read$/],
    ["empty file", "", `roster.yaml:1:1: the roster is empty; it needs at least an "agents:" list (see \`mosaic fleet init --profile minimal\`)`],
    ["comments only", "# nothing here\n", `roster.yaml:1:1: the roster is empty; it needs at least an "agents:" list (see \`mosaic fleet init --profile minimal\`)`],
    ["not a mapping", "- a\n- b\n", `roster.yaml:1:1: the roster must be a mapping with an "agents:" list`],
  ])("%s", (_label, text, expected) => {
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    if (expected instanceof RegExp) expect(errors[0]).toMatch(expected);
    else expect(errors[0]).toBe(expected);
  });

  it("reports every problem in the file at once, in file order", () => {
    const errors = errorsOf(y(["socket: 'a b'", "agents:", "  - name: Bad", "    command: pi", "  - name: ok", "    command: 7", "  - name: ok", "    command: pi"]));
    expect(errors).toEqual([
      `roster.yaml:1:9: socket "a b": may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)`,
      `roster.yaml:3:11: agents[0].name "Bad": may contain only a-z, 0-9, '-' and '_'`,
      `roster.yaml:6:14: agents[1].command 7: must be a string (quote it: "7")`,
      `roster.yaml:7:11: agents[2].name "ok": duplicate agent name; agents[1] already uses it`,
    ]);
  });

  it("never shows the yaml library's own API names", () => {
    const texts = [
      y(["agents: []", "---", "agents: []"]),
      y(["agents: []", "? {a: 1}", ": 1"]),
      y(["agents: *nope"]),
      y(["agents: &a [*a]"]),
      y(["x: &x 1", "agents: []", "defaults: { <<: *x }"]),
      `agents: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    ];
    for (const text of texts) {
      for (const line of errorsOf(text)) expect(line).not.toMatch(/YAML\.|parseAllDocuments|mapAsMap|stringKeys|maxAliasCount|toJS|Maximum call stack/);
    }
  });

  it("refuses a YAML alias bomb without expanding it, at the alias where it grows too far", () => {
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]`);
    lines.push("agents: []");
    const errors = errorsOf(y(lines));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe("roster.yaml:7:10: refused: YAML aliases expand too far (past 4000000 nodes and characters; a real roster is far smaller)");
  });
});

describe("normalised roster", () => {
  it("applies defaults, merges env, resolves cwd and sorts agents by name", () => {
    const fleet = parse(
      y([
        "socket: s1",
        "defaults:",
        "  command: pi",
        "  cwd: ~/work",
        "  env: { A: '1', B: '2' }",
        "  on_spec_change: hold",
        "agents:",
        "  - name: zed",
        "    env: { B: 'z' }",
        "  - name: alpha",
        "    command: claude",
        "    args: [--model, x]",
        "    resume_args: [--continue]",
        "    cwd: projects/a",
        "    enabled: false",
        "    on_spec_change: replace",
        "    submit: { key: C-m, settle_ms: 50 }",
      ]),
    );
    expect(fleet.socket).toBe("s1");
    expect(fleet.agents.map((a) => a.name)).toEqual(["alpha", "zed"]);
    const [alpha, zed] = fleet.agents;
    expect(alpha).toMatchObject({ command: "claude", args: ["--model", "x"], resumeArgs: ["--continue"], cwd: "/site/fleet/projects/a", enabled: false, onSpecChange: "replace", submit: { key: "C-m", settleMs: 50 }, env: { A: "1", B: "2" } });
    expect(zed).toMatchObject({ command: "pi", args: [], cwd: "/home/op/work", enabled: true, onSpecChange: "hold", submit: { key: "Enter", settleMs: 200 }, env: { A: "1", B: "z" } });
  });

  it("waits 1 second for a launched agent by default, or what defaults or the agent say", () => {
    const fleet = parse(y(["defaults:", "  command: pi", "  ready_after_seconds: 2.5", "agents:", "  - name: a", "  - name: b", "    ready_after_seconds: 0", "  - name: c", "    ready_after_seconds: 600"]));
    expect(fleet.agents.map((a) => a.readyAfterSeconds)).toEqual([2.5, 0, 600]);
    expect(parse(y(["agents:", "  - name: a", "    command: pi"])).agents[0]!.readyAfterSeconds).toBe(1);
  });

  it("never restarts an agent for a new ready_after_seconds: it is not part of the spec hash", () => {
    const hashWith = (extra: string[]) => parse(y(["agents:", "  - name: a", "    command: pi", ...extra])).agents[0]!.specHash;
    expect(hashWith(["    ready_after_seconds: 30"])).toBe(hashWith([]));
    expect(hashWith(["    ready_after_seconds: 0"])).toBe(hashWith([]));
  });

  it("defaults the socket to mosaic-factory", () => {
    expect(parse("agents: []\n").socket).toBe("mosaic-factory");
  });

  it("defaults the backend to auto, and keeps the one the roster names", () => {
    expect(parse("agents: []\n").backend).toBe("auto");
    for (const backend of BACKEND_CHOICES) expect(parse(y([`backend: ${backend}`, "agents: []"])).backend).toBe(backend);
  });

  it("offers in the schema exactly the backends the code knows", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "framework", "fleet", "roster.schema.json"), "utf8"));
    expect(schema.properties.backend.enum).toEqual([...BACKEND_CHOICES]);
    expect(schema.properties.backend.default).toBe(DEFAULT_BACKEND);
  });

  it("never restarts an agent for a new backend: it is not part of any spec hash", () => {
    const hashWith = (backend: string) => parse(y([`backend: ${backend}`, "agents:", "  - name: a", "    command: pi"])).agents[0]!.specHash;
    expect(hashWith("systemd")).toBe(hashWith("direct"));
  });

  it("shows the backend in agent roster --json", () => {
    expect(rosterJson(parse(y(["backend: direct", "agents: []"])))).toMatchObject({ socket: "mosaic-factory", backend: "direct" });
    expect(rosterJson(parse("agents: []\n")).backend).toBe("auto");
  });

  it("gives equal specs equal hashes whatever the key order, and different specs different hashes", () => {
    const a = parse(y(["agents:", "  - name: a", "    command: pi", "    env: { X: '1', Y: '2' }"])).agents[0]!;
    const b = parse(y(["agents:", "  - env: { Y: '2', X: '1' }", "    command: pi", "    name: a", "    enabled: false", "    submit: { key: Tab }"])).agents[0]!;
    const c = parse(y(["agents:", "  - name: a", "    command: pi", "    env: { X: '1', Y: '3' }"])).agents[0]!;
    expect(a.specHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(b.specHash).toBe(a.specHash);
    expect(c.specHash).not.toBe(a.specHash);
  });
});

describe("NUL bytes", () => {
  it("are refused in any string, located: no argument, path or environment value can carry one", () => {
    const text = y(["agents:", "  - name: a", "    command: pi", '    args: ["ok", "a\\0b"]', "    env:", '      K: "x\\0"']);
    expect(errorsOf(text)).toEqual([
      'roster.yaml:4:18: agents[0].args[1]: contains a NUL byte, which no program argument, path or environment value can hold',
      'roster.yaml:6:10: agents[0].env.K: contains a NUL byte, which no program argument, path or environment value can hold',
    ]);
  });
});

