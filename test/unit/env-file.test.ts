import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRoster } from "../../src/roster/load.js";
import { parseEnvFile } from "../../src/roster/env-file.js";
import { RosterError } from "../../src/roster/roster-error.js";
import { tempDir } from "../helpers/cli.js";

describe("an env_file's lines, compose's convention", () => {
  it("KEY=value, comments and blank lines skipped, one pair of quotes removed, the value as written", () => {
    const text = ["# keys for the reviewer", "", "  # indented comment", "OPENAI_API_KEY=sk-abc=def", 'QUOTED="a b"', "SINGLE='$HOME #1'", "EMPTY=", "SPACES= kept ", 'HALF="open', "CRLF=yes\r", "OPENAI_API_KEY=sk-later"].join("\n");
    expect(parseEnvFile(text)).toEqual({
      vars: { OPENAI_API_KEY: "sk-later", QUOTED: "a b", SINGLE: "$HOME #1", EMPTY: "", SPACES: " kept ", HALF: '"open', CRLF: "yes" },
      problems: [],
    });
  });

  it("names a bad line by its number and never quotes it: it may hold a secret", () => {
    const r = parseEnvFile(["GOOD=1", "sk-live-0123456789", "export X=1", "1BAD=2", "TMUX=/tmp/x", "K=a\0b"].join("\n"));
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6]);
    expect(r.problems[3]!.message).toContain("TMUX is set by tmux");
    expect(JSON.stringify(r.problems)).not.toContain("sk-live");
  });
});

describe("a roster's env_file, read at plan time", () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir("env-file");
  });
  afterEach(() => dir.cleanup());

  const roster = (yaml: string) => {
    writeFileSync(join(dir.path, "roster.yaml"), yaml);
    return loadRoster({ path: join(dir.path, "roster.yaml"), home: dir.path, cwd: dir.path });
  };
  const secretFile = (name: string, text: string, mode = 0o600) => {
    writeFileSync(join(dir.path, name), text);
    chmodSync(join(dir.path, name), mode);
  };
  const refusal = async (yaml: string) => {
    const err = await roster(yaml).then(() => null, (e: unknown) => e);
    if (!(err instanceof RosterError)) throw new Error(`expected a roster error, got ${String(err)}`);
    return err.message;
  };

  it("adds its variables under env, which wins, and the defaults' under the agent's; they are part of the spec", async () => {
    secretFile("common.env", "REGION=eu\nKEY=from-common\n");
    secretFile("alpha.env", "KEY=from-alpha\nTOKEN=t1\n");
    const yaml = ["defaults: { command: sleep, env_file: common.env }", "agents:", "  - { name: alpha, env_file: [alpha.env], env: { TOKEN: inline } }", "  - { name: beta }", ""].join("\n");
    const first = await roster(yaml);
    expect(first.agents.map((a) => [a.name, a.env])).toEqual([
      ["alpha", { REGION: "eu", KEY: "from-alpha", TOKEN: "inline" }],
      ["beta", { REGION: "eu", KEY: "from-common" }],
    ]);
    secretFile("common.env", "REGION=us\nKEY=from-common\n");
    const second = await roster(yaml);
    expect(second.agents.map((a) => a.specHash)).not.toEqual(first.agents.map((a) => a.specHash));
  });

  it("is refused, at the roster line naming it, when others may read it, when missing, when not a file", async () => {
    secretFile("open.env", "KEY=sk-leaked\n", 0o644);
    execFileSync("mkfifo", [join(dir.path, "fifo.env")]);
    const message = await refusal(["agents:", "  - name: alpha", "    command: sleep", "    env_file:", "      - open.env", "      - missing.env", "      - fifo.env", ""].join("\n"));
    expect(message).toMatch(/roster\.yaml:5:\d+: .*open\.env: others may read or write it \(mode 0644\); make it yours alone with: chmod 600 /);
    expect(message).toMatch(/roster\.yaml:6:\d+: .*missing\.env: no such file/);
    expect(message).toMatch(/roster\.yaml:7:\d+: .*fifo\.env: is not a regular file/);
    expect(message).not.toContain("sk-leaked");
  });

  it("is refused in a folder others may write, where they could remove it or put a link in its place", async () => {
    mkdirSync(join(dir.path, "open"));
    chmodSync(join(dir.path, "open"), 0o777);
    secretFile("open/s.env", "KEY=sk-in-open-folder\n");
    const message = await refusal(["agents:", "  - { name: alpha, command: sleep, env_file: open/s.env }", ""].join("\n"));
    expect(message).toMatch(/roster\.yaml:2:\d+: .*open\/s\.env: is in .*open, a folder others may write/);
    // Sticky, as /tmp is: no one removes another's file there.
    chmodSync(join(dir.path, "open"), 0o1777);
    expect((await roster(["agents:", "  - { name: alpha, command: sleep, env_file: open/s.env }", ""].join("\n"))).agents[0]!.env).toEqual({ KEY: "sk-in-open-folder" });
  });

  it("names a bad line of the file by number, without its text", async () => {
    secretFile("bad.env", "OK=1\nsk-pasted-without-a-name\n");
    const message = await refusal(["agents:", "  - { name: alpha, command: sleep, env_file: bad.env }", ""].join("\n"));
    expect(message).toMatch(/roster\.yaml:2:\d+: .*bad\.env:2: is not KEY=value/);
    expect(message).not.toContain("sk-pasted");
  });
});
