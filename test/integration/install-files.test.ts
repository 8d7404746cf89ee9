import { PRODUCT_FILES } from "../../src/framework.js";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mosaic, tempDir } from "../helpers/cli.js";

/**
 * `fleet install-systemd` and `mosaic update` against a private HOME, with
 * no user manager to reach (no XDG_RUNTIME_DIR): the files they plan and
 * write, and what they say about them.
 */
let home: { path: string; cleanup: () => void };
let env: Record<string, string>;
beforeEach(() => {
  home = tempDir("install");
  env = { HOME: home.path };
});
afterEach(() => home.cleanup());

const run = (args: string[]) => mosaic(args, env);
const ok = async (args: string[]) => {
  const r = await run(args);
  expect(r.exitCode, `mosaic ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};
const unitDir = () => join(home.path, ".config", "systemd", "user");
const template = () => join(unitDir(), "mosaic-agent@.service");
const record = () => join(home.path, ".local", "state", "mosaic", "installed.json");

describe("mosaic update without its install record", () => {
  it("refuses an upgrade it cannot tell from an edit, and says the record is missing and how to go on", async () => {
    await ok(["fleet", "install-systemd"]);
    // An older mosaic's unit file, and the record of writing it lost.
    const shipped = readFileSync(template(), "utf8");
    writeFileSync(template(), `${shipped}# as an older mosaic wrote it\n`);
    rmSync(record());

    const r = await run(["update", "--auto-approve"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`mosaic has no record of installing it (${record()} is missing)`);
    expect(r.stdout).toContain("--force");
    expect(r.stdout).not.toContain("edited by hand; replaced only with --force");

    await ok(["update", "--auto-approve", "--force"]);
    expect(readFileSync(template(), "utf8")).toBe(shipped);
    expect(readdirSync(unitDir()).filter((f) => f.includes(".mosaic-backup-"))).toHaveLength(1);
    // The files that already matched are on the record again too, so the next upgrade of any of them needs no --force.
    const recorded = Object.keys((JSON.parse(readFileSync(record(), "utf8")) as { files: Record<string, string> }).files);
    expect(recorded).toHaveLength(PRODUCT_FILES.length);
    expect(recorded).toContain(join(unitDir(), "mosaic-tmux-holder.service"));
  });

  it("says why when the record is there but unreadable", async () => {
    await ok(["fleet", "install-systemd"]);
    writeFileSync(template(), `${readFileSync(template(), "utf8")}# older\n`);
    writeFileSync(record(), "{ not json");
    const r = await run(["update", "--auto-approve"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`mosaic has no record of installing it (${record()}: not JSON)`);
  });

  it("keeps the plain refusal when the record is there and says otherwise", async () => {
    await ok(["fleet", "install-systemd"]);
    writeFileSync(template(), `${readFileSync(template(), "utf8")}# mine\n`);
    const r = await run(["update", "--auto-approve"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("is not what mosaic installed there (edited by hand, or installed by other means)");
    expect(r.stdout).not.toContain("no record");
  });
});

describe("fleet install-systemd where a folder on the way cannot be made", () => {
  // [what is in the way, where (under ~/.config), how to make it, the words for it]
  const CASES: [string, string, (at: string) => void, string][] = [
    ["a link to nothing", "systemd/user", (at) => symlinkSync(join(home.path, "nowhere"), at), "a symbolic link to nothing"],
    ["a loop of links", "systemd/user", (at) => symlinkSync(at, at), "a loop of symbolic links"],
    ["a plain file", "systemd/user", (at) => writeFileSync(at, ""), "a file"],
    ["a link to nothing higher up", "systemd", (at) => symlinkSync(join(home.path, "nowhere"), at), "a symbolic link to nothing"],
  ];
  it.each(CASES)("%s at ~/.config/%s: a plan error naming it, and nothing written", async (_name, under, make, what) => {
    const at = join(home.path, ".config", under);
    mkdirSync(dirname(at), { recursive: true });
    make(at);
    const r = await run(["fleet", "install-systemd"]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    for (const unit of ["mosaic-tmux-holder.service", "mosaic-agent@.service"]) {
      expect(r.stdout).toContain(`Error: ${join(unitDir(), unit)} cannot be written: ${at} is ${what}, not a folder;`);
    }
    expect(r.stdout + r.stderr).not.toMatch(/ENOENT|EEXIST|ENOTDIR|ELOOP/);
    expect(r.stderr).toContain("nothing was changed");
    expect(existsSync(join(home.path, ".config", "mosaic"))).toBe(false);
    expect(existsSync(record())).toBe(false);
  });
});

describe("fleet install-systemd through a link to a real folder", () => {
  it("writes the units where the link points, as systemd reads them (dotfile managers link ~/.config/systemd/user)", async () => {
    const real = join(home.path, "dotfiles", "systemd-user");
    mkdirSync(real, { recursive: true });
    mkdirSync(join(home.path, ".config", "systemd"), { recursive: true });
    symlinkSync(real, unitDir());
    await ok(["fleet", "install-systemd"]);
    expect(readdirSync(real).sort()).toEqual(["mosaic-agent@.service", "mosaic-tmux-holder.service"]);
  });
});

describe("what install-systemd and update say", () => {
  it("with nothing to do: that the installed files match, once, and nothing of a fleet or roster", async () => {
    await ok(["fleet", "install-systemd"]);
    for (const args of [["fleet", "install-systemd"], ["update", "--auto-approve"]]) {
      const r = await ok(args);
      expect(r.stdout.split("\n").filter((l) => l.includes("The installed files match this mosaic.")), args.join(" ")).toEqual(["No changes. The installed files match this mosaic."]);
      expect(r.stdout, args.join(" ")).not.toContain("roster");
    }
  });

  it("update with nothing installed: that nothing is, and how to install", async () => {
    const r = await ok(["update", "--auto-approve"]);
    expect(r.stdout).toBe("No changes. Nothing is installed.\n`mosaic fleet install-systemd` installs the systemd units.");
  });
});

describe("the lingering line of install-systemd", () => {
  const lingeringLine = (stdout: string) => stdout.split("\n").find((l) => /lingering/i.test(l)) ?? "";

  it("with USER and LOGNAME unset, is about the user mosaic runs as", async () => {
    const line = lingeringLine((await ok(["fleet", "install-systemd"])).stdout);
    expect(line).not.toContain("no user name");
    expect(line).toMatch(new RegExp(`(for|enable-linger) ${userInfo().username}\\b`));
  });

  it("is about $USER when it is set", async () => {
    env.USER = "someone-else";
    const line = lingeringLine((await ok(["fleet", "install-systemd"])).stdout);
    expect(line).toMatch(/(for|enable-linger) someone-else\b/);
  });
});

describe("install-systemd --reload where no systemd user manager answers", () => {
  it("installs the files and says the reload could not be done, instead of claiming nothing", async () => {
    const r = await ok(["fleet", "install-systemd", "--reload"]);
    expect(r.stdout).toContain("Warning: --reload: no systemd user manager answers here, so systemd was not told to re-read the unit files");
    expect(r.stdout).toContain("systemctl --user daemon-reload");
  });
});

describe("install-systemd --drift-timer", () => {
  it("refuses a roster it cannot read, which would fail every run of the check as a drift does, and writes nothing", async () => {
    const missing = join(home.path, "no-roster.yaml");
    const r = await run(["fleet", "install-systemd", "--drift-timer", "--roster", missing]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`no roster at ${missing}`);
    expect(existsSync(join(unitDir(), "mosaic-fleet-drift.service"))).toBe(false);
  });
});
