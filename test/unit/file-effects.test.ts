import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileEffects } from "../../src/apply/file-effects.js";
import { tempDir } from "../helpers/cli.js";

let dir: { path: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir("file-effects");
});
afterEach(() => dir.cleanup());

describe("fileEffects' writes with a backup", () => {
  it("keep every old file when two runs back the same file up within one second: the second backup gets -1, none is overwritten", async () => {
    const path = join(dir.path, "mosaic-agent@.service");
    const second = new Date("2026-11-24T23:59:00.100Z");
    const effects = fileEffects({ HOME: dir.path, XDG_STATE_HOME: join(dir.path, "state") }, () => second);
    const stamp = `${path}.mosaic-backup-20261124T235900Z`;

    writeFileSync(path, "edit one\n");
    expect(await effects.writeFile(path, "shipped\n", 0o644, { backup: true, record: true })).toEqual({ ok: true, detail: `the old file is kept as ${stamp}` });
    writeFileSync(path, "edit two\n");
    expect(await effects.writeFile(path, "shipped\n", 0o644, { backup: true, record: true })).toEqual({ ok: true, detail: `the old file is kept as ${stamp}-1` });

    expect(readFileSync(stamp, "utf8")).toBe("edit one\n");
    expect(readFileSync(`${stamp}-1`, "utf8")).toBe("edit two\n");
    expect(readFileSync(path, "utf8")).toBe("shipped\n");
    expect(readdirSync(dir.path).filter((f) => f.includes("backup"))).toHaveLength(2);
  });
});
