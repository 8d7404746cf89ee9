import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
