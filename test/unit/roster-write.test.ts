import { chmodSync, mkdirSync, promises as fsp, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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
  vi.restoreAllMocks();
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

/** The UserError message writeSiteRoster refuses `path` with. */
async function refusal(path: string, force = false): Promise<string> {
  const err: unknown = await writeSiteRoster(path, "new\n", { ...opts, force }).then(
    () => new Error("expected the write to be refused"),
    (e: unknown) => e,
  );
  if (!(err instanceof UserError)) throw err;
  return err.message;
}

/** An error as node:fs reports it. Tests may run as root, which no mode bits stop, so refusals are staged. */
const fsError = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });

// Each of these escaped as "error: unexpected: E...: ..." from mosaic fleet init --write.
describe("writeSiteRoster where the roster's folder cannot be made or written", () => {
  it.each([["r.yaml"], ["a/b/r.yaml"]])("names a file in the way of the folder (then %s), and writes nothing", async (rest) => {
    const file = join(dir.path, "file");
    writeFileSync(file, "mine\n");
    expect(await refusal(join(file, rest))).toBe(`cannot create the folder ${file}: a file is in the way`);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
    expect(readdirSync(dir.path)).toEqual(["file"]);
  });

  it("refuses a folder on the way that is a looping link", async () => {
    symlinkSync("loop", join(dir.path, "loop"));
    const path = join(dir.path, "loop", "r.yaml");
    expect(await refusal(path)).toBe(`${path}: cannot be reached: ${join(dir.path, "loop")} is a symbolic link that leads into a loop of links`);
  });

  it("says a roster that is a looping link is left alone", async () => {
    const path = join(dir.path, "roster.yaml");
    symlinkSync("roster.yaml", path);
    expect(await refusal(path, true)).toBe(`${path} is a symbolic link that leads into a loop of links; left it alone`);
  });

  it("refuses a name too long for the file system", async () => {
    const path = join(dir.path, `${"n".repeat(300)}.yaml`);
    expect(await refusal(path)).toBe(`${path}: the path is too long for the file system`);
  });

  it("names the folder it may not create", async () => {
    const ro = join(dir.path, "ro");
    mkdirSync(ro);
    vi.spyOn(fsp, "mkdir").mockRejectedValue(fsError("EACCES", "mkdir", join(ro, "fleet")));
    expect(await refusal(join(ro, "fleet", "sub", "r.yaml"))).toBe(`cannot create the folder ${join(ro, "fleet")}: permission denied`);
  });

  it("names the folder it may not write in, and leaves nothing there", async () => {
    const ro = join(dir.path, "ro");
    mkdirSync(ro);
    const { open } = fsp;
    vi.spyOn(fsp, "open").mockImplementation(async (p, ...rest) => (String(p).startsWith(`${ro}/.`) ? Promise.reject(fsError("EACCES", "open", String(p))) : open(p, ...rest)));
    expect(await refusal(join(ro, "r.yaml"))).toBe(`cannot write in the folder ${ro}: permission denied`);
    expect(readdirSync(ro)).toEqual([]);
  });

  it("names the folder where the backup cannot go, leaving the old roster as it was", async () => {
    const path = join(dir.path, "roster.yaml");
    writeFileSync(path, "old\n");
    vi.spyOn(fsp, "copyFile").mockRejectedValue(fsError("EACCES", "copyfile", `${path}.backup-20250102T030405Z`));
    expect(await refusal(path, true)).toBe(`cannot write in the folder ${dir.path}: permission denied`);
    expect(readFileSync(path, "utf8")).toBe("old\n");
  });

  it("leaves an existing roster it may not read alone", async () => {
    const path = join(dir.path, "roster.yaml");
    writeFileSync(path, "old\n");
    vi.spyOn(fsp, "readFile").mockRejectedValue(fsError("EACCES", "open", path));
    expect(await refusal(path, true)).toBe(`${path}: permission denied, so it cannot be compared or backed up; left it alone`);
    expect(readdirSync(dir.path)).toEqual(["roster.yaml"]);
  });

  it("says when the file system is read-only", async () => {
    vi.spyOn(fsp, "mkdir").mockRejectedValue(fsError("EROFS", "mkdir", join(dir.path, "fleet")));
    expect(await refusal(join(dir.path, "fleet", "r.yaml"))).toBe(`cannot create the folder ${join(dir.path, "fleet")}: the file system is read-only`);
  });
});
