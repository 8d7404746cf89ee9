import { execa } from "execa";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupPath, copyToBackup, readFileState, writeFileAtomic } from "../../src/adapters/fs.js";
import { tempDir } from "../helpers/cli.js";

let dir: { path: string; cleanup: () => void };
let savedUmask: number;
beforeEach(() => {
  dir = tempDir("fs");
  savedUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(savedUmask);
  dir.cleanup();
});

const modeOf = (path: string) => statSync(path).mode & 0o7777;

describe("readFileState", () => {
  it("reads a regular file's text and mode, and through a symbolic link the target's", async () => {
    const path = join(dir.path, "tool.sh");
    writeFileSync(path, "#!/bin/sh\necho hi\n");
    chmodSync(path, 0o750);
    expect(await readFileState(path, 1000)).toEqual({ kind: "file", content: "#!/bin/sh\necho hi\n", mode: 0o750 });
    symlinkSync("tool.sh", join(dir.path, "link"));
    expect(await readFileState(join(dir.path, "link"), 1000)).toEqual({ kind: "file", content: "#!/bin/sh\necho hi\n", mode: 0o750 });
  });

  it("keeps the bytes exactly: a byte-order mark is not dropped, an empty file is empty text", async () => {
    writeFileSync(join(dir.path, "bom"), "\ufeff[Unit]\n");
    expect(await readFileState(join(dir.path, "bom"), 1000)).toMatchObject({ kind: "file", content: "\ufeff[Unit]\n" });
    writeFileSync(join(dir.path, "empty"), "");
    expect(await readFileState(join(dir.path, "empty"), 1000)).toMatchObject({ kind: "file", content: "" });
  });

  it("says missing for nothing there, even under a missing folder", async () => {
    expect(await readFileState(join(dir.path, "none"), 1000)).toEqual({ kind: "missing" });
    expect(await readFileState(join(dir.path, "no", "such", "file"), 1000)).toEqual({ kind: "missing" });
  });

  it("says what is there instead of a file, without throwing", async () => {
    mkdirSync(join(dir.path, "folder"));
    symlinkSync("nowhere", join(dir.path, "dangling"));
    symlinkSync("loop", join(dir.path, "loop"));
    writeFileSync(join(dir.path, "big"), "x".repeat(1001));
    writeFileSync(join(dir.path, "latin1"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(join(dir.path, "plain"), "x");
    await execa("mkfifo", [join(dir.path, "fifo")]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir.path, "socket"), resolve));
    try {
      const what = async (name: string) => readFileState(join(dir.path, name), 1000);
      expect(await what("folder")).toEqual({ kind: "other", what: "a folder" });
      expect(await what("dangling")).toEqual({ kind: "other", what: "a symbolic link to nothing" });
      expect(await what("loop")).toEqual({ kind: "other", what: "a loop of symbolic links" });
      expect(await what("big")).toEqual({ kind: "other", what: "larger than 1000 bytes" });
      expect(await what("latin1")).toEqual({ kind: "other", what: "not UTF-8 text" });
      expect(await what(join("plain", "x"))).toEqual({ kind: "other", what: "a file where a folder on its path should be" });
      // Neither may hang the read.
      expect(await what("fifo")).toEqual({ kind: "other", what: "not a regular file" });
      expect(await what("socket")).toEqual({ kind: "other", what: "not a regular file" });
    } finally {
      server.close();
    }
  });

  it("reads a file of exactly the limit", async () => {
    writeFileSync(join(dir.path, "edge"), "x".repeat(1000));
    expect(await readFileState(join(dir.path, "edge"), 1000)).toMatchObject({ kind: "file" });
  });
});

describe("writeFileAtomic", () => {
  it.each([
    [0o755, 0o077],
    [0o644, 0o077],
    [0o600, 0o022],
    [0o775, 0o022],
  ])("leaves exactly mode %o under umask %o, creating the folders on the way", async (mode, umask) => {
    process.umask(umask);
    const path = join(dir.path, "a", "b", "file");
    await writeFileAtomic(path, "one\n", mode);
    expect(readFileSync(path, "utf8")).toBe("one\n");
    expect(modeOf(path)).toBe(mode);
  });

  it("replaces a file of another mode with exactly the mode asked, leaving no temporary file", async () => {
    const path = join(dir.path, "tool");
    writeFileSync(path, "old\n");
    chmodSync(path, 0o600);
    await writeFileAtomic(path, "new\n", 0o755);
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(modeOf(path)).toBe(0o755);
    expect(readdirSync(dir.path)).toEqual(["tool"]);
  });

  it("without a mode, makes a new file 0644 less the umask, as a user's own file", async () => {
    process.umask(0o077);
    await writeFileAtomic(join(dir.path, "roster.yaml"), "x\n");
    expect(modeOf(join(dir.path, "roster.yaml"))).toBe(0o600);
  });
});

describe("backups", () => {
  it("are named beside the file with the UTC time to the second", () => {
    expect(backupPath("/home/u/.config/systemd/user/mosaic-agent@.service", new Date("2026-11-24T23:59:00.999Z"))).toBe(
      "/home/u/.config/systemd/user/mosaic-agent@.service.mosaic-backup-20261124T235900Z",
    );
    expect(backupPath("f", new Date(Date.UTC(2027, 0, 2, 3, 4, 5)))).toBe("f.mosaic-backup-20270102T030405Z");
  });

  it("copy the contents and the exact mode, whatever the umask, and never replace an existing backup", async () => {
    process.umask(0o077);
    const path = join(dir.path, "tool.sh");
    writeFileSync(path, "mine\n");
    chmodSync(path, 0o755);
    const backup = backupPath(path, new Date("2026-11-24T23:59:00Z"));
    await copyToBackup(path, backup);
    expect(readFileSync(backup, "utf8")).toBe("mine\n");
    expect(modeOf(backup)).toBe(0o755);

    writeFileSync(path, "changed\n");
    await expect(copyToBackup(path, backup)).rejects.toMatchObject({ code: "EEXIST" });
    expect(readFileSync(backup, "utf8")).toBe("mine\n");
  });
});
