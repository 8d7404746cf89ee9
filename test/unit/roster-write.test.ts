import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSiteRoster } from "../../src/roster/write-roster.js";
import { UserError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";

let dir: { path: string; cleanup: () => void };
let savedUmask: number;
const opts = { force: true, now: new Date("2025-01-02T03:04:05.678Z"), retryHint: "mosaic fleet init --write" };

beforeEach(() => {
  dir = tempDir("write");
  // A strict umask: the kept mode must come from the old file, not from the umask.
  savedUmask = process.umask(0o077);
});
afterEach(() => {
  process.umask(savedUmask);
  dir.cleanup();
});

describe("writeSiteRoster", () => {
  it.each([0o644, 0o664, 0o600, 0o640].map((m) => [m.toString(8), m] as const))("keeps a replaced roster's mode %s exactly, whatever the umask", async (_octal, mode) => {
    const path = join(dir.path, "roster.yaml");
    writeFileSync(path, "old\n");
    chmodSync(path, mode);
    const outcome = await writeSiteRoster(path, "new\n", opts);
    expect(outcome).toEqual({ kind: "replaced", writtenPath: path, backupPath: `${path}.backup-20250102T030405Z` });
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(statSync(path).mode & 0o7777).toBe(mode);
    expect(readdirSync(dir.path).sort()).toEqual(["roster.yaml", "roster.yaml.backup-20250102T030405Z"]);
  });

  it("writes through a relative symlink to its target, backing up the target", async () => {
    const real = join(dir.path, "real");
    writeFileSync(real, "old\n");
    chmodSync(real, 0o664);
    const link = join(dir.path, "roster.yaml");
    symlinkSync("real", link);
    const outcome = await writeSiteRoster(link, "new\n", opts);
    expect(outcome).toEqual({ kind: "replaced", writtenPath: real, backupPath: `${real}.backup-20250102T030405Z` });
    expect(readFileSync(link, "utf8")).toBe("new\n");
    expect(readFileSync(`${real}.backup-20250102T030405Z`, "utf8")).toBe("old\n");
    expect(statSync(real).mode & 0o7777).toBe(0o664);
  });

  it("says through which link it wrote when the content was already there", async () => {
    const real = join(dir.path, "real");
    writeFileSync(real, "same\n");
    symlinkSync(real, join(dir.path, "roster.yaml"));
    expect(await writeSiteRoster(join(dir.path, "roster.yaml"), "same\n", opts)).toEqual({ kind: "unchanged", writtenPath: real });
  });

  it("refuses a symlink loop and writes nothing", async () => {
    const link = join(dir.path, "roster.yaml");
    symlinkSync("roster.yaml", link);
    await expect(writeSiteRoster(link, "new\n", opts)).rejects.toThrow(UserError);
    expect(readdirSync(dir.path)).toEqual(["roster.yaml"]);
  });

  it("creates a new roster with the usual 0644 under a 022 umask", async () => {
    process.umask(0o022);
    const path = join(dir.path, "fleet", "roster.yaml");
    expect(await writeSiteRoster(path, "new\n", opts)).toEqual({ kind: "created", writtenPath: path });
    expect(statSync(path).mode & 0o7777).toBe(0o644);
  });
});
