import { describe, expect, it } from "vitest";
import { errorsOf, parse, y } from "../helpers/roster.js";

const agentWith = (key: string, value: string) => y(["agents:", "  - name: a", "    command: pi", `    ${key}: ${JSON.stringify(value)}`]);
const TILDE_USER = "~user paths are not expanded; write an absolute path or one starting with ~/";

describe("cwd", () => {
  it.each([
    ["~", "/home/op"],
    ["~/", "/home/op"],
    ["~/work/a", "/home/op/work/a"],
    ["/srv/a/", "/srv/a"],
    ["projects/a", "/site/fleet/projects/a"],
    ["./a/../b", "/site/fleet/b"],
    ["..", "/site"],
  ])("%j resolves to %s", (cwd, expected) => {
    expect(parse(agentWith("cwd", cwd)).agents[0]!.cwd).toBe(expected);
  });

  it.each(["~user", "~user/work", "~+", "~~"])("refuses %j, which only a shell would expand", (cwd) => {
    expect(errorsOf(agentWith("cwd", cwd))).toEqual([`roster.yaml:4:10: agents[0].cwd ${JSON.stringify(cwd)}: ${TILDE_USER}`]);
  });

  it("explains an unquoted lone ~, which YAML reads as null", () => {
    expect(errorsOf(y(["agents:", "  - name: a", "    command: pi", "    cwd: ~"]))).toEqual([`roster.yaml:4:10: agents[0].cwd null: must be a string (YAML reads an empty value or a lone ~ as null; quote it: "~")`]);
  });

  it("refuses it in defaults too, once, where it is written", () => {
    expect(errorsOf(y(["defaults:", "  cwd: ~op/x", "agents:", "  - name: a", "    command: pi", "  - name: b", "    command: pi"]))).toEqual([
      `roster.yaml:2:8: defaults.cwd "~op/x": ${TILDE_USER}`,
    ]);
  });
});

describe("command", () => {
  it.each([
    ["pi", "pi"],
    ["claude-code", "claude-code"],
    ["/usr/local/bin/pi", "/usr/local/bin/pi"],
    ["~/bin/agent", "/home/op/bin/agent"],
    ["./bin/agent", "/site/fleet/bin/agent"],
    ["bin/agent", "/site/fleet/bin/agent"],
    ["../tools/agent", "/site/tools/agent"],
  ])("%j runs %s", (command, expected) => {
    const fleet = parse(y(["agents:", "  - name: a", `    command: ${JSON.stringify(command)}`]));
    expect(fleet.agents[0]!.command).toBe(expected);
  });

  it("resolves a relative command from defaults against the roster's folder, like cwd", () => {
    const fleet = parse(y(["defaults:", "  command: ./bin/agent", "  cwd: work", "agents:", "  - name: a"]));
    expect(fleet.agents[0]).toMatchObject({ command: "/site/fleet/bin/agent", cwd: "/site/fleet/work" });
  });

  it.each(["~user/bin/agent", "~bin/agent"])("refuses %j", (command) => {
    expect(errorsOf(y(["agents:", "  - name: a", `    command: ${JSON.stringify(command)}`]))).toEqual([`roster.yaml:3:14: agents[0].command ${JSON.stringify(command)}: ${TILDE_USER}`]);
  });

  it("hashes the resolved command, so the same roster in another folder is another spec", () => {
    const text = y(["agents:", "  - name: a", "    command: ./bin/agent"]);
    const here = parse(text).agents[0]!;
    const there = parse(text, "/elsewhere/roster.yaml").agents[0]!;
    expect(there.command).toBe("/elsewhere/bin/agent");
    expect(there.specHash).not.toBe(here.specHash);
  });
});

// Every agent starts as `env -- COMMAND ARGS...`, and env takes any NAME=VALUE before the command for an assignment.
describe("a command with '='", () => {
  const BECAUSE = 'env, which starts every agent, would read it as a variable assignment and run nothing; use a path without "=" (a symbolic link will do)';

  it.each(["/opt/a=b/agent", "a=b", "./bin/x=1"])("refuses %j where it is written", (command) => {
    expect(errorsOf(y(["agents:", "  - name: a", `    command: ${JSON.stringify(command)}`]))).toEqual([`roster.yaml:3:14: agents[0].command ${JSON.stringify(command)}: contains "=": ${BECAUSE}`]);
  });

  it("refuses it in defaults, once", () => {
    expect(errorsOf(y(["defaults:", "  command: /opt/a=b/agent", "agents:", "  - name: a", "  - name: b"]))).toEqual([`roster.yaml:2:12: defaults.command "/opt/a=b/agent": contains "=": ${BECAUSE}`]);
  });

  it("refuses a relative command that only gains '=' from the roster's folder", () => {
    let message = "";
    try {
      parse(y(["agents:", "  - name: a", "    command: ./bin/agent"]), "/site/k=v/roster.yaml");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`roster.yaml:3:14: agents[0].command "./bin/agent": resolves to /site/k=v/bin/agent, which contains "=": ${BECAUSE}`);
  });

  it("keeps '=' in args, which come after the command", () => {
    expect(parse(y(["agents:", "  - name: a", "    command: pi", "    args: [--model=x, A=B]"])).agents[0]!.args).toEqual(["--model=x", "A=B"]);
  });

  it("keeps a bare name in a roster whose folder has '=': PATH finds it, not the folder", () => {
    expect(parse(y(["agents:", "  - name: a", "    command: pi"]), "/site/k=v/roster.yaml").agents[0]!.command).toBe("pi");
  });
});
