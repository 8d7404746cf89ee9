import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mosaic, repoRoot, tempDir } from "../helpers/cli.js";

let home: { path: string; cleanup: () => void };
let env: Record<string, string>;
let rosterFile: string;

beforeEach(() => {
  home = tempDir("init");
  env = { HOME: home.path, XDG_CONFIG_HOME: join(home.path, "config") };
  rosterFile = join(home.path, "config", "mosaic", "fleet", "roster.yaml");
});
afterEach(() => home.cleanup());

describe("mosaic fleet init", () => {
  it.each(["minimal", "local-canary", "demo"])("--profile %s prints a roster that validates against the shipped schema, and writes nothing", async (profile) => {
    const r = await mosaic(["fleet", "init", "--profile", profile], env);
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(readFileSync(join(repoRoot, "framework", "fleet", "roster.schema.json"), "utf8"));
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    expect(validate(parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
    expect(r.stdout).toContain(`$schema=${join(repoRoot, "framework", "fleet", "roster.schema.json")}`);
    expect(existsSync(rosterFile)).toBe(false);
  });

  it("--write installs the site roster, which agent roster then lists", async () => {
    const w = await mosaic(["fleet", "init", "--profile", "minimal", "--write"], env);
    expect(w.exitCode).toBe(0);
    expect(w.stdout).toContain(`Wrote the minimal roster to ${rosterFile}`);
    const r = await mosaic(["agent", "roster"], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n")).toEqual(["NAME       ENABLED  COMMAND        CWD", `canary-pi  yes      pi --continue  ${home.path}`]);
  });

  it("refuses to overwrite an existing roster, leaving it byte-identical", async () => {
    mkdirSync(join(home.path, "config", "mosaic", "fleet"), { recursive: true });
    const mine = "# my own edits\nagents: []\n";
    writeFileSync(rosterFile, mine);
    const r = await mosaic(["fleet", "init", "--profile", "minimal", "--write"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: a roster already exists at ${rosterFile}; left it unchanged`);
    expect(r.stderr).toContain("mosaic fleet init --profile minimal --write --force");
    expect(readFileSync(rosterFile, "utf8")).toBe(mine);
    expect(readdirSync(join(home.path, "config", "mosaic", "fleet"))).toEqual(["roster.yaml"]);
  });

  it("--force keeps a timestamped backup of the old roster and says where", async () => {
    mkdirSync(join(home.path, "config", "mosaic", "fleet"), { recursive: true });
    const mine = "# my own edits\nagents: []\n";
    writeFileSync(rosterFile, mine);
    const r = await mosaic(["fleet", "init", "--profile", "local-canary", "--write", "--force"], env);
    expect(r.exitCode).toBe(0);
    const backup = /Backed up the previous roster to (\S+)/.exec(r.stdout)?.[1];
    expect(backup).toMatch(/roster\.yaml\.backup-\d{8}T\d{6}Z$/);
    expect(readFileSync(backup!, "utf8")).toBe(mine);
    expect(readFileSync(rosterFile, "utf8")).toContain("canary-claude");
  });

  it("--force through a symlinked roster writes the file it points to, keeping the link, the file's mode and a backup", async () => {
    // A roster kept in a dotfiles repository and linked into place.
    const dotfiles = join(home.path, "dotfiles");
    const target = join(dotfiles, "roster.yaml");
    mkdirSync(dotfiles);
    mkdirSync(dirname(rosterFile), { recursive: true });
    const mine = "# my own edits\nagents: []\n";
    writeFileSync(target, mine);
    chmodSync(target, 0o664); // group-writable: a 022 umask would strip that from a fresh file
    symlinkSync(target, rosterFile);

    const r = await mosaic(["fleet", "init", "--profile", "local-canary", "--write", "--force"], env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(lstatSync(rosterFile).isSymbolicLink()).toBe(true);
    expect(readlinkSync(rosterFile)).toBe(target);
    expect(readFileSync(target, "utf8")).toContain("canary-claude");
    expect(statSync(target).mode & 0o7777).toBe(0o664);
    const backup = /Backed up the previous roster to (\S+)/.exec(r.stdout)?.[1];
    expect(dirname(backup!)).toBe(dotfiles);
    expect(readFileSync(backup!, "utf8")).toBe(mine);
    expect(r.stdout).toContain(`Wrote the local-canary roster to ${target} (linked from ${rosterFile})`);
    expect(readdirSync(dotfiles).sort()).toEqual([backup!.slice(dotfiles.length + 1), "roster.yaml"].sort());
  });

  it("refuses a roster path that is a dangling symlink, and writes nothing", async () => {
    mkdirSync(dirname(rosterFile), { recursive: true });
    const missing = join(home.path, "gone", "roster.yaml");
    symlinkSync(missing, rosterFile);
    for (const force of [[], ["--force"]]) {
      const r = await mosaic(["fleet", "init", "--profile", "minimal", "--write", ...force], env);
      expect(r.exitCode).toBe(1);
      expect(r.stderr.split("\n")[0]).toBe(`error: ${rosterFile} is a symbolic link to ${missing}, which does not exist; left it alone`);
      expect(readlinkSync(rosterFile)).toBe(missing);
      expect(existsSync(dirname(missing))).toBe(false);
      expect(readdirSync(dirname(rosterFile))).toEqual(["roster.yaml"]);
    }
  });

  it("names a folder that is a symbolic link to nothing (dotfiles not cloned yet), and writes nothing", async () => {
    const dotfiles = join(home.path, "dotfiles", "mosaic-fleet");
    mkdirSync(dirname(dirname(rosterFile)), { recursive: true });
    symlinkSync(dotfiles, dirname(rosterFile));
    const r = await mosaic(["fleet", "init", "--profile", "minimal", "--write"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: cannot write the roster at ${rosterFile}: the folder ${dirname(rosterFile)} is a symbolic link to nothing (${dotfiles}, which does not exist); nothing was written`);
    expect(r.stderr).not.toContain("unexpected");
    expect(existsSync(dotfiles)).toBe(false);
  });

  it("names a file in the way of the roster's folder, exit 1, and writes nothing", async () => {
    const file = join(home.path, "file");
    writeFileSync(file, "mine\n");
    const r = await mosaic(["fleet", "init", "--profile", "demo", "--write", "--roster", join(file, "r.yaml")], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`error: cannot create the folder ${file}: a file is in the way`);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
    expect(readdirSync(home.path)).toEqual(["file"]);
  });

  it("rejects an unknown profile without writing", async () => {
    const r = await mosaic(["fleet", "init", "--profile", "huge", "--write"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('unknown profile "huge"; choose one of: minimal, local-canary, demo');
    expect(existsSync(rosterFile)).toBe(false);
  });
});

describe("mosaic agent roster", () => {
  it("says how to create a missing roster, exit 1, no stack trace", async () => {
    const r = await mosaic(["agent", "roster"], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`error: no roster at ${rosterFile}\n  Create one with: mosaic fleet init --profile minimal --write\n  or name another file with --roster PATH.`);
  });

  it("refuses a directory in place of the roster", async () => {
    mkdirSync(join(home.path, "dir.yaml"));
    const r = await mosaic(["agent", "roster", "--roster", "dir.yaml"], env, { cwd: home.path });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: dir.yaml: is a directory, not a roster file");
  });

  it("refuses a roster path that is a symbolic link loop, in every command that loads one, exit 1, no trace", async () => {
    symlinkSync("l2.yaml", join(home.path, "l1.yaml"));
    symlinkSync("l1.yaml", join(home.path, "l2.yaml"));
    const commands = [["fleet", "plan"], ["fleet", "status"], ["fleet", "stop"], ["fleet", "verify"], ["agent", "reset", "a"], ["agent", "roster"]];
    for (const command of commands) {
      const r = await mosaic([...command, "--roster", "l1.yaml"], env, { cwd: home.path });
      expect(r.exitCode, command.join(" ")).toBe(1);
      expect(r.stderr.split("\n")[0], command.join(" ")).toBe("error: l1.yaml: is a symbolic link that leads into a loop of links");
      expect(r.stderr, command.join(" ")).not.toMatch(/unexpected|ELOOP|at .*\.js/);
    }
  });

  it("names the file in the way when a folder of the roster's path is a file", async () => {
    writeFileSync(join(home.path, "file"), "");
    const r = await mosaic(["agent", "roster", "--roster", "file/r.yaml"], env, { cwd: home.path });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: file/r.yaml: cannot be reached: file is a file, not a folder");
  });

  it("prints every roster error with file:line:col and no trace", async () => {
    writeFileSync(join(home.path, "r.yaml"), "agents:\n  - name: bad.name\n    command: pi\n  - name: x\n");
    const r = await mosaic(["agent", "roster", "--roster", "r.yaml"], env, { cwd: home.path });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split("\n")).toEqual([
      `error: r.yaml:2:11: agents[0].name "bad.name": may contain only a-z, 0-9, '-' and '_'`,
      "r.yaml:4:5: agents[1]: has no command: set agents[1].command or defaults.command",
    ]);
  });

  it("--json gives the normalised agents", async () => {
    await mosaic(["fleet", "init", "--profile", "local-canary", "--write"], env);
    const r = await mosaic(["agent", "roster", "--json"], env);
    const doc = JSON.parse(r.stdout);
    expect(doc.socket).toBe("mosaic-factory");
    expect(doc.backend).toBe("auto");
    expect(doc.agents.map((a: { name: string; enabled: boolean }) => `${a.name}:${a.enabled}`)).toEqual(["canary-claude:true", "canary-codex:true", "canary-pi:true", "canary-reviewer:false"]);
    expect(doc.agents[0].ready_after_seconds).toBe(1);
  });
});

describe("mosaic --help and --version", () => {
  it("lists the commands with examples", async () => {
    const r = await mosaic(["--help"], env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("mosaic fleet init");
    expect(r.stdout).toContain("mosaic agent roster");
    expect(r.stdout).toContain("Examples");
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    expect((await mosaic(["--version"], env)).stdout).toBe(pkg.version);
  });
});
