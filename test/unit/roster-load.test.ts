import { promises as fsp, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadRoster } from "../../src/roster/load.js";
import { UserError } from "../../src/errors.js";
import { tempDir } from "../helpers/cli.js";

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("load");
});
afterEach(() => {
  vi.restoreAllMocks();
  dir.cleanup();
});

/** The UserError loading `rel` (under the temp folder, which is also the working directory) fails with. */
async function refusal(rel: string): Promise<string> {
  const err: unknown = await loadRoster({ path: join(dir.path, rel), home: "/home/op", cwd: dir.path }).then(
    () => new Error("expected the roster to be refused"),
    (e: unknown) => e,
  );
  if (!(err instanceof UserError)) throw err;
  return err.message;
}

const LOOP = "is a symbolic link that leads into a loop of links";

// Each of these escaped as "error: unexpected: E...: ..." from every command that loads a roster.
describe("loadRoster refuses a path it cannot follow, in words", () => {
  it("a symbolic link loop", async () => {
    symlinkSync("l2.yaml", join(dir.path, "l1.yaml"));
    symlinkSync("l1.yaml", join(dir.path, "l2.yaml"));
    expect(await refusal("l1.yaml")).toBe(`l1.yaml: ${LOOP}`);
  });

  it("a link that points at itself", async () => {
    symlinkSync("self.yaml", join(dir.path, "self.yaml"));
    expect(await refusal("self.yaml")).toBe(`self.yaml: ${LOOP}`);
  });

  it("a folder on the way that is a looping link", async () => {
    symlinkSync("loop", join(dir.path, "loop"));
    expect(await refusal("loop/fleet/roster.yaml")).toBe(`loop/fleet/roster.yaml: cannot be reached: loop ${LOOP}`);
  });

  it("a file where a folder should be", async () => {
    writeFileSync(join(dir.path, "file"), "");
    expect(await refusal("file/fleet/roster.yaml")).toBe("file/fleet/roster.yaml: cannot be reached: file is a file, not a folder");
  });

  it("a file named as a folder through a link", async () => {
    writeFileSync(join(dir.path, "file"), "");
    symlinkSync("file", join(dir.path, "link"));
    expect(await refusal("link/roster.yaml")).toBe("link/roster.yaml: cannot be reached: link is a file, not a folder");
  });

  it("a name too long for the file system", async () => {
    const rel = `${"n".repeat(300)}.yaml`;
    expect(await refusal(rel)).toBe(`${rel}: the path is too long for the file system`);
  });

  it("a folder it may not look inside", async () => {
    // Tests may run as root, which no mode bits stop, so the refusal is staged.
    mkdirSync(join(dir.path, "private"));
    const denied = (p: unknown) => Object.assign(new Error(`EACCES: permission denied, stat '${String(p)}'`), { code: "EACCES" });
    const inside = (p: unknown) => String(p).startsWith(join(dir.path, "private") + "/");
    const { stat, lstat } = fsp;
    vi.spyOn(fsp, "stat").mockImplementation(async (p, o) => (inside(p) ? Promise.reject(denied(p)) : stat(p, o)));
    vi.spyOn(fsp, "lstat").mockImplementation(async (p, o) => (inside(p) ? Promise.reject(denied(p)) : lstat(p, o)));
    expect(await refusal("private/roster.yaml")).toBe("private/roster.yaml: permission denied (cannot look inside private)");
  });

  it("still says how to create a roster that is simply missing", async () => {
    mkdirSync(join(dir.path, "fleet"));
    expect(await refusal("fleet/roster.yaml")).toBe(`no roster at ${join(dir.path, "fleet", "roster.yaml")}`);
    expect(await refusal("none/fleet/roster.yaml")).toBe(`no roster at ${join(dir.path, "none", "fleet", "roster.yaml")}`);
  });
});
