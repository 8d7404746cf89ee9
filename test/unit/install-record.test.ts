import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileHash as contentHash } from "../../src/identity/file-hash.js";
import { forgetInstalled, installRecordPath, readInstallRecord, recordInstalled } from "../../src/adapters/install-record.js";
import { tempDir } from "../helpers/cli.js";

let dir: { path: string; cleanup: () => void };
let env: Record<string, string>;
let recordDir: string;
beforeEach(() => {
  dir = tempDir("install-record");
  env = { HOME: join(dir.path, "home"), XDG_STATE_HOME: join(dir.path, "state") };
  recordDir = join(dir.path, "state", "mosaic");
});
afterEach(() => dir.cleanup());

const H1 = contentHash("one\n");
const H2 = contentHash("two\n");

describe("contentHash", () => {
  it("is sha256 of the UTF-8 bytes (vectors from sha256sum)", () => {
    expect(contentHash("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(contentHash("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(contentHash("é\n")).toBe("sha256:edd3a863872a04239eb29ad4bc12fc892b3d4ae57cc7e786a3697816f8e141c2");
  });
});

describe("the install record", () => {
  it("lives in $XDG_STATE_HOME/mosaic, and falls back to ~/.local/state", () => {
    expect(installRecordPath(env)).toBe(join(dir.path, "state", "mosaic", "installed.json"));
    expect(installRecordPath({ HOME: "/home/u" })).toBe("/home/u/.local/state/mosaic/installed.json");
  });

  it("is empty, and readable, when there is none", async () => {
    expect(await readInstallRecord(env)).toEqual({ files: {}, unreadable: null });
  });

  it("merges what is recorded, forgets what is asked, and writes format 1 with sorted paths, private", async () => {
    await recordInstalled(env, [
      { path: "/u/b.service", hash: H1 },
      { path: "/u/a.sh", hash: H1 },
    ]);
    await recordInstalled(env, [
      { path: "/u/b.service", hash: H2 },
      { path: "/u/c.sh", hash: H2 },
    ]);
    expect(await readInstallRecord(env)).toEqual({ files: { "/u/a.sh": H1, "/u/b.service": H2, "/u/c.sh": H2 }, unreadable: null });

    const after = await forgetInstalled(env, ["/u/b.service", "/u/never-recorded"]);
    expect(after).toEqual({ files: { "/u/a.sh": H1, "/u/c.sh": H2 }, unreadable: null });
    expect(readFileSync(installRecordPath(env), "utf8")).toBe(`{\n  "format": 1,\n  "files": {\n    "/u/a.sh": "${H1}",\n    "/u/c.sh": "${H2}"\n  }\n}\n`);
    expect(statSync(installRecordPath(env)).mode & 0o777).toBe(0o600);
  });

  it("keys a path by its normal form, so one file is never recorded twice", async () => {
    await recordInstalled(env, [{ path: "/u//tools/./x.sh", hash: H1 }]);
    await recordInstalled(env, [{ path: "/u/tools/x.sh", hash: H2 }]);
    expect((await readInstallRecord(env)).files).toEqual({ "/u/tools/x.sh": H2 });
  });

  it("refuses, as a bug, a relative path or a hash not in its format", async () => {
    await expect(recordInstalled(env, [{ path: "u/x", hash: H1 }])).rejects.toThrow(/absolute/);
    await expect(recordInstalled(env, [{ path: "/u/x", hash: "md5:abc" }])).rejects.toThrow(/sha256/);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it.each([
    ["not JSON", "{ this is not", "not JSON"],
    ["an array", "[]", "not a JSON object"],
    ["null", "null", "not a JSON object"],
    ["a newer format", `{"format":2,"files":{}}`, "format 2, expected 1"],
    ["no format", `{"files":{}}`, "format missing, expected 1"],
    ["files not an object", `{"format":1,"files":["/u/x"]}`, `"files" is not an object`],
    ["a relative path", `{"format":1,"files":{"u/x":"${H1}"}}`, `"u/x" is not an absolute path`],
    ["a bad hash", `{"format":1,"files":{"/u/x":"sha256:zz"}}`, `the hash of "/u/x" is not sha256:<64 hex digits>`],
    ["a hash that is not a string", `{"format":1,"files":{"/u/x":1}}`, `the hash of "/u/x" is not sha256:<64 hex digits>`],
    ["not UTF-8", Buffer.from([0x7b, 0xff, 0x7d]), "is not UTF-8 text"],
  ])("reads garbage (%s) as empty, and says why", async (_what, content, why) => {
    mkdirSync(recordDir, { recursive: true });
    writeFileSync(installRecordPath(env), content);
    const record = await readInstallRecord(env);
    expect(record.files).toEqual({});
    expect(record.unreadable).toContain(installRecordPath(env));
    expect(record.unreadable).toContain(why);
  });

  it("does not believe a record in part: one bad entry makes it all unreadable", async () => {
    mkdirSync(recordDir, { recursive: true });
    writeFileSync(installRecordPath(env), JSON.stringify({ format: 1, files: { "/u/good": H1, "u/bad": H2 } }));
    expect((await readInstallRecord(env)).files).toEqual({});
  });

  it("says so when something other than a file is where the record goes", async () => {
    mkdirSync(installRecordPath(env), { recursive: true });
    expect(await readInstallRecord(env)).toEqual({ files: {}, unreadable: `${installRecordPath(env)} is a folder` });
  });

  it("keeps an unreadable record aside before replacing it, and says it was unreadable", async () => {
    mkdirSync(recordDir, { recursive: true });
    writeFileSync(installRecordPath(env), "garbled");
    const written = await recordInstalled(env, [{ path: "/u/x", hash: H1 }]);
    expect(written.files).toEqual({ "/u/x": H1 });
    expect(written.unreadable).toContain("not JSON");
    const kept = readdirSync(recordDir).filter((n) => n !== "installed.json");
    expect(kept).toEqual([expect.stringMatching(/^installed\.json\.mosaic-backup-\d{8}T\d{6}Z$/)]);
    expect(readFileSync(join(recordDir, kept[0]!), "utf8")).toBe("garbled");
    expect(await readInstallRecord(env)).toEqual({ files: { "/u/x": H1 }, unreadable: null });
  });
});

describe("changes to the install record made at once in one process", () => {
  it("all land: each keeps the others' entries (the executor writes independent files side by side)", async () => {
    const paths = Array.from({ length: 8 }, (_, i) => `/u/file-${i}`);
    await Promise.all([...paths.map((path) => recordInstalled(env, [{ path, hash: H1 }])), forgetInstalled(env, ["/u/never"])]);
    expect(Object.keys((await readInstallRecord(env)).files).sort()).toEqual(paths);
  });
});
