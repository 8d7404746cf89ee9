import { execa } from "execa";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, installLockFile } from "../../src/adapters/lock.js";
import { tmuxSocketPath } from "../../src/adapters/tmux.js";
import { fileHash } from "../../src/identity/file-hash.js";
import { installLayout, type ProductFile } from "../../src/layout.js";
import { readProductFiles } from "../../src/observe/product.js";
import { cliPath, mosaic, tempDir } from "../helpers/cli.js";

/**
 * `mosaic update` and `fleet install-systemd` take the same apply lock as
 * the fleet's commands: two at once take turns instead of writing the same
 * files and the install record side by side. Each test first holds the lock
 * itself, as an apply under way would, so the two are sure to meet.
 */
let home: { path: string; cleanup: () => void };
let env: Record<string, string>;
beforeEach(() => {
  home = tempDir("install-lock");
  env = { HOME: home.path };
});
afterEach(() => home.cleanup());

const ok = async (args: string[]) => {
  const r = await mosaic(args, env);
  expect(r.exitCode, `mosaic ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};
const recordPath = () => join(home.path, ".local", "state", "mosaic", "installed.json");
const recorded = () => (JSON.parse(readFileSync(recordPath(), "utf8")) as { files: Record<string, string> }).files;
const shipped = (): Promise<ProductFile[]> => readProductFiles(installLayout(env));

/** Every product file as an older mosaic installed it: other bytes, on the record as mosaic's, so an update may replace them. */
async function installedByAnOlderMosaic(): Promise<void> {
  await ok(["fleet", "install-systemd"]);
  const files: Record<string, string> = {};
  for (const f of await shipped()) {
    const older = `${f.content}# as an older mosaic wrote it\n`;
    writeFileSync(f.path, older);
    files[f.path] = fileHash(older);
  }
  writeFileSync(recordPath(), `${JSON.stringify({ format: 1, files }, null, 2)}\n`);
}

/** Hold the lock of the installed files, as a `mosaic update` under way would. */
async function holdLock() {
  const lock = await acquireLock(installLockFile(tmuxSocketPath("default", env, process.getuid?.() ?? 0)), { pid: process.pid, command: "mosaic update", since: "now" }, { timeoutMs: 0, onWait: () => {} });
  if (!("release" in lock)) throw new Error("the lock of the installed files was not free");
  return lock;
}

/** `mosaic ARGS` started in the background, its stderr readable as it comes. */
function started(args: string[]) {
  const run = execa(process.execPath, [cliPath, ...args], { env: { ...env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
  const seen = { stderr: "" };
  run.stderr!.on("data", (d) => (seen.stderr += String(d)));
  return { run, seen };
}

describe("two mosaic update --auto-approve at once", () => {
  it("take turns: one brings every file up to this mosaic, the other then finds nothing to do; every file whole and on the record", async () => {
    await installedByAnOlderMosaic();
    const product = await shipped();
    const lock = await holdLock();
    const first = started(["update", "--auto-approve"]);
    const second = started(["update", "--auto-approve"]);
    try {
      // Both are under way, and both wait: neither has read or written anything yet.
      for (const u of [first, second]) {
        await expect.poll(() => u.seen.stderr, { timeout: 20_000 }).toContain("Waiting for another mosaic apply on the installed files (pid");
      }
      for (const f of product) expect(readFileSync(f.path, "utf8")).not.toBe(f.content);
    } finally {
      await lock.release();
    }
    const results = await Promise.all([first.run, second.run]);
    for (const r of results) expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);

    // Each file was written once, by one of them; the other found nothing left to do.
    const out = results.map((r) => r.stdout);
    const updated = out.join("\n").split("\n").filter((l) => / updated after /.test(l)).map((l) => l.slice(0, l.indexOf(":")));
    expect(updated.sort()).toEqual(product.map((f) => `${f.type}["${f.name}"]`).sort());
    expect(out.filter((o) => o.includes(`Apply complete! Resources: 0 added, ${product.length} changed, 0 destroyed. Verified: the installed files match this mosaic.`))).toHaveLength(1);
    expect(out.filter((o) => o === "No changes. The installed files match this mosaic.")).toHaveLength(1);

    for (const f of product) {
      expect(readFileSync(f.path, "utf8"), f.path).toBe(f.content);
      expect(statSync(f.path).mode & 0o777, f.path).toBe(f.mode);
    }
    expect(recorded()).toEqual(Object.fromEntries(product.map((f) => [f.path, fileHash(f.content)])));
    const again = await ok(["update", "--auto-approve"]);
    expect(again.stdout).toBe("No changes. The installed files match this mosaic.");
  });

  it("with --lock-timeout 0, the one that finds the lock taken exits 1 naming who holds it, and changes nothing", async () => {
    await installedByAnOlderMosaic();
    const before = await Promise.all((await shipped()).map((f) => readFileSync(f.path, "utf8")));
    const record = readFileSync(recordPath(), "utf8");
    const lock = await holdLock();
    try {
      const r = await mosaic(["update", "--auto-approve", "--lock-timeout", "0"], env);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`error: another mosaic apply on the installed files is still running (pid ${process.pid}: mosaic update, since now); try again when it ends`);
    } finally {
      await lock.release();
    }
    expect(await Promise.all((await shipped()).map((f) => readFileSync(f.path, "utf8")))).toEqual(before);
    expect(readFileSync(recordPath(), "utf8")).toBe(record);
  });
});

describe("fleet install-systemd and mosaic update", () => {
  it("take --lock-timeout as the fleet's commands do, and refuse a value that is not a plain number before anything happens", async () => {
    for (const command of [["update", "--auto-approve"], ["fleet", "install-systemd"]]) {
      const r = await mosaic([...command, "--lock-timeout", "5s"], env);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe('error: --lock-timeout takes a plain number of seconds, like 0, 5 or 2.5; got "5s"');
    }
    expect((await mosaic(["fleet", "install-systemd", "--dry-run"], env)).stdout).toContain(`Plan: ${(await shipped()).length} to add`);
  });
});
