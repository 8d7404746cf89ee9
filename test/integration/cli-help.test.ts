import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath, mosaic, repoRoot, tempDir } from "../helpers/cli.js";

let home: { path: string; cleanup: () => void };
let env: Record<string, string>;
beforeEach(() => {
  home = tempDir("help");
  env = { HOME: home.path, XDG_CONFIG_HOME: `${home.path}/config` };
});
afterEach(() => home.cleanup());

/**
 * Every registered command, as its path and one-line description, read from
 * the top-level help (clipanion lists each registration there, so a new
 * command is covered without editing this file). Importing the command
 * classes instead would load clipanion through vitest, which cannot resolve it.
 */
const registered = await (async () => {
  const top = await mosaic(["--help"], { HOME: "/nonexistent" });
  return [...top.stdout.matchAll(/^ {2}mosaic ((?:fleet|agent) [a-z-]+).*\n {4}(.+)$/gm)].map((m) => ({ path: m[1]!.split(" "), description: m[2]! }));
})();
const groups = ["fleet", "agent"] as const;

describe.each(groups)("mosaic %s (the group's help)", (group) => {
  const mine = registered.filter((c) => c.path[0] === group);
  const others = registered.filter((c) => c.path[0] !== group);

  it.each([[[group, "--help"]], [[group, "-h"]], [[group]]])("%j lists the group's commands with their descriptions and examples, exit 0", async (argv) => {
    const r = await mosaic(argv, env);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    for (const c of mine) expect(r.stdout).toMatch(new RegExp(`^ +mosaic ${c.path.join(" ")}\\b.* {2}${c.description.replace(/[()]/g, "\\$&")}$`, "m"));
    for (const c of others) expect(r.stdout).not.toContain(`mosaic ${c.path.join(" ")}`);
    expect(r.stdout).toMatch(/^Examples\n(  \$ mosaic .*\n){2,}/m);
    expect(r.stdout).not.toContain("#0");
  });

  it("names a word that is none of its commands, then lists them, exit 1", async () => {
    const r = await mosaic([group, "pln"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(`error: no command "mosaic ${group} pln"`);
    for (const c of mine) expect(r.stderr).toContain(`mosaic ${c.path.join(" ")} `);
  });

  it("names a misspelt command once, with its options, after a syntax error", async () => {
    const [typo, meant] = group === "fleet" ? ["pln", "plan"] : ["rooster", "roster"];
    const r = await mosaic([group, typo, "--json"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(`error: no command "mosaic ${group} ${typo}"`);
    expect(r.stderr).toContain(`Did you mean: mosaic ${group} ${meant} --json`);
    expect(r.stderr.match(/no command/g)).toHaveLength(1);
    expect(r.stderr).not.toContain("#0");
  });

  it("lists the commands in workflow order (the order src/cli/commands.ts registers them)", async () => {
    const order = {
      fleet: ["init", "plan", "show", "apply", "start", "stop", "restart", "status", "verify", "install-systemd", "preflight"],
      agent: ["roster", "status", "attach", "send", "tail", "reset"],
    }[group].map((c) => `${group} ${c}`);
    expect([...order].sort()).toEqual(mine.map((c) => c.path.join(" ")).sort()); // every command, none twice
    const r = await mosaic([group], env);
    const listed = [...r.stdout.matchAll(new RegExp(`^ +mosaic (${group} [a-z-]+)`, "gm"))].map((m) => m[1]);
    expect(listed).toEqual(order);
  });
});

describe("each command's own --help", () => {
  it("finds every command in the top-level help", () => {
    expect(registered.map((c) => c.path.join(" "))).toEqual(
      expect.arrayContaining(["fleet init", "fleet plan", "fleet show", "fleet apply", "fleet start", "fleet stop", "fleet restart", "fleet status", "fleet verify", "fleet install-systemd", "fleet preflight", "agent roster", "agent status", "agent send", "agent tail", "agent reset"]),
    );
  });

  it.each(registered.map((c) => [c.path.join(" "), c] as const))("mosaic %s --help still shows that command's help", async (_name, c) => {
    const r = await mosaic([...c.path, "--help"], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(c.description);
    expect(r.stdout).toContain(`$ mosaic ${c.path.join(" ")}`);
    expect(r.stdout).toContain("Examples");
    expect(r.stdout).not.toContain("#0");
  });

  it("the top-level help is unchanged: no group entries, every command listed", async () => {
    const r = await mosaic(["--help"], env);
    expect(r.exitCode).toBe(0);
    for (const c of registered) expect(r.stdout).toContain(`  mosaic ${c.path.join(" ")} `);
    expect(r.stdout).not.toMatch(/^ +mosaic (fleet|agent)$/m);
    expect(r.stdout).not.toContain("#0");
    expect(r.stdout).not.toContain("undocumented");
  });
});

describe("option values are named, never clipanion's #0", () => {
  it.each([
    ["an unknown option", ["fleet", "plan", "--bogus"]],
    ["a missing argument", ["agent", "reset"]],
    ["a missing option value", ["fleet", "apply", "--lock-timeout"]],
    ["an extra argument", ["agent", "reset", "a", "b"]],
  ])("the usage printed after %s", async (_what, argv) => {
    const r = await mosaic(argv, env);
    expect(r.exitCode).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain("--roster PATH");
    expect(out).not.toContain("#0");
  });

  it.each([
    ["fleet plan", "--roster PATH", "--force-replace NAME"],
    ["fleet apply", "--lock-timeout SECONDS", "--force-replace NAME"],
    ["fleet init", "--profile NAME", "--roster PATH"],
    ["fleet restart", "--agent NAME", "--lock-timeout SECONDS"],
  ])("mosaic %s --help names %s and %s in its options table", async (name, ...defs) => {
    const r = await mosaic([...name.split(" "), "--help"], env);
    for (const def of defs) expect(r.stdout).toMatch(new RegExp(`^  ${def} +\\S`, "m"));
  });

  it("keeps the options table aligned when coloured", async () => {
    const r = await mosaic(["fleet", "apply", "--help"], { ...env, FORCE_COLOR: "1", NO_COLOR: "" });
    // eslint-disable-next-line no-control-regex
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, "");
    expect(plain).not.toContain("#0");
    const rows = plain.split("\n").filter((l) => /^ {2}--/.test(l));
    expect(rows.length).toBeGreaterThan(3);
    const columns = new Set(rows.map((l) => /^ {2}--\S+(?: [A-Z]+)? +/.exec(l)![0].length));
    expect([...columns]).toHaveLength(1);
  });
});

describe("--backend in each command's --help", () => {
  // Every command that plans, changes or reports on the fleet; a new command must be placed on one side.
  const withBackend = ["fleet plan", "fleet apply", "fleet start", "fleet stop", "fleet restart", "fleet status", "fleet verify", "agent status", "agent reset"];
  const without = ["fleet init", "fleet show", "fleet install-systemd", "fleet preflight", "agent roster", "agent attach", "agent send", "agent tail"];

  it("sorts every registered command into one of the two lists", () => {
    expect(registered.map((c) => c.path.join(" ")).sort()).toEqual([...withBackend, ...without].sort());
  });

  it.each(withBackend)("mosaic %s --help offers --backend BACKEND and says what each value does", async (name) => {
    const r = await mosaic([...name.split(" "), "--help"], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--backend BACKEND +How sessions start and stop in this run, instead of the roster's backend: auto \(systemd once its units are installed, else direct\), systemd or direct$/m);
  });

  it.each(without)("mosaic %s --help does not offer --backend", async (name) => {
    const r = await mosaic([...name.split(" "), "--help"], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain("--backend");
  });
});

describe("help for the commands that name one agent", () => {
  it.each([["agent", "reset"], ["fleet", "restart"]])("mosaic %s %s --help says the whole fleet is reconciled", async (group, command) => {
    const r = await mosaic([group, command, "--help"], { NO_COLOR: "1" });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.replace(/\s+/g, " ")).toContain("other drift in the fleet is repaired in the same apply");
  });
});


describe("the top-level help and the version, printed from what the build rendered", () => {
  /** What the CLI itself renders for `args`, loading the whole command table, as before the build's rendering. */
  const rendered = async (args: string[], colors: boolean) => {
    const script = `const { buildCli } = await import(${JSON.stringify(join(repoRoot, "dist", "cli", "cli.js"))}); await (await buildCli({ colors: ${colors} })).runExit(${JSON.stringify(args)});`;
    const r = await execa(process.execPath, ["--input-type=module", "-e", script], { reject: false, env: { NO_COLOR: "" } });
    expect(r.exitCode).toBe(0);
    return r.stdout;
  };

  it.each([[[]], [["-h"]], [["--help"]]])("mosaic %j prints exactly the CLI's own help, plain or coloured as asked", async (args) => {
    const plain = await mosaic(args, { ...env, NO_COLOR: "1" });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toBe(await rendered(["--help"], false));
    expect(plain.stdout).toContain("Examples\n  $ mosaic fleet init --profile minimal --write");
    const coloured = await mosaic(args, { ...env, NO_COLOR: "", FORCE_COLOR: "1" });
    expect(coloured.stdout).toBe(await rendered(["--help"], true));
    expect(coloured.stdout).toContain("\x1b[");
  });

  it.each([["-v"], ["--version"]])("mosaic %s prints the package's version", async (flag) => {
    const r = await mosaic([flag], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
    expect(await rendered([flag], false)).toBe(r.stdout);
  });

  it("a help that cannot be written is exit 1 with the reason, like any command's output", async () => {
    const r = await execa("sh", ["-c", `"${process.execPath}" "${cliPath}" --help > /dev/full`], { reject: false, env: { ...env, PATH: process.env.PATH ?? "" } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: could not write output: ENOSPC (no space left on device); the command itself ran to its end");
  });
});

describe("a command that does not exist", () => {
  it.each([
    [["agent", "logs", "X"], 'error: no command "mosaic agent logs"', "mosaic agent tail X"],
    [["agent", "stop", "X"], 'error: no command "mosaic agent stop"', "mosaic fleet stop --agent X"],
    [["agent", "start", "X"], 'error: no command "mosaic agent start"', "mosaic fleet start --agent X"],
    [["attach", "x"], 'error: no command "mosaic attach"', "mosaic agent attach x"],
    [["flet", "plan"], 'error: no command "mosaic flet"', "mosaic fleet plan"],
    [["fleet", "pln"], 'error: no command "mosaic fleet pln"', "mosaic fleet plan"],
    [["fleet", "logs"], 'error: no command "mosaic fleet logs"', "mosaic agent tail"],
    [["status"], 'error: no command "mosaic status"', "mosaic fleet status"],
  ])("%j is named, with the nearest command to run instead, exit 1, nothing on stdout", async (argv, first, suggestion) => {
    const r = await mosaic(argv, env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(first);
    expect(r.stderr).toContain(`Did you mean: ${suggestion}`);
    expect(r.stderr).not.toContain("Unknown Syntax Error");
  });

  it("a word that is near nothing is named, with where to find the commands", async () => {
    const r = await mosaic(["zzzqqq"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe('error: no command "mosaic zzzqqq"');
    expect(r.stderr).toContain("mosaic --help");
    expect(r.stderr).not.toContain("Did you mean");
  });

  it("`mosaic help` is the help, and `mosaic help fleet plan` that command's", async () => {
    const top = await mosaic(["help"], env);
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toBe((await mosaic(["--help"], env)).stdout);
    const one = await mosaic(["help", "fleet", "plan"], env);
    expect(one.exitCode).toBe(0);
    expect(one.stdout).toBe((await mosaic(["fleet", "plan", "--help"], env)).stdout);
  });
});
