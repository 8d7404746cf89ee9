import { execa } from "execa";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { FleetWorld } from "../helpers/fleet-env.js";

/**
 * The corpus of bad rosters (fixtures/bad/README.md): each is refused with
 * a located message and exit 1, no stack trace, within a bound, and with
 * nothing changed in the world.
 */
const corpus = join(repoRoot, "fixtures", "bad");
const stored = readdirSync(corpus)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => [f, readFileSync(join(corpus, f.replace(/\.yaml$/, ".expected")), "utf8").trim()] as const);

/** Cases git cannot hold, made in a folder of their own; their expected first line. */
const made = mkdtempSync(join(tmpdir(), "mosaic-bad-rosters-"));
writeFileSync(join(made, "ten-megabytes.yaml"), `agents: []\n# ${"x".repeat(10 * 1024 * 1024)}\n`);
symlinkSync("loop-b.yaml", join(made, "loop-a.yaml"));
symlinkSync("loop-a.yaml", join(made, "loop-b.yaml"));
await execa("mkfifo", [join(made, "fifo.yaml")]);
writeFileSync(join(made, "a-file"), "agents: []\n");
mkdirSync(join(made, "a-folder.yaml"));
const generated = [
  ["ten-megabytes.yaml", "ten-megabytes.yaml: is larger than 1048576 bytes; this is not a roster"],
  ["loop-a.yaml", "loop-a.yaml: is a symbolic link that leads into a loop of links"],
  ["fifo.yaml", "fifo.yaml: is not a regular file"],
  ["a-file/roster.yaml", "a-file/roster.yaml: cannot be reached: a-file is a file, not a folder"],
  ["a-folder.yaml", "a-folder.yaml: is a directory, not a roster file"],
] as const;

/**
 * A roster its reader may not read: root reads any file, so as root the
 * case runs as nobody (setpriv), in a folder of nobody's own.
 */
const root = process.getuid?.() === 0;
const setpriv = root ? (await execa("setpriv", ["--version"], { reject: false })).exitCode === 0 : true;
if (!setpriv) console.warn("SKIPPED: the unreadable-roster case needs setpriv to run as another user than root");

describe.skipIf(!setpriv)("a roster that is not readable", () => {
  it("is refused: located, exit 1, no stack trace, nothing changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mosaic-unreadable-"));
    try {
      const home = join(dir, "home");
      mkdirSync(join(home, "tmux"), { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, "roster.yaml"), "agents:\n  - name: alpha\n", { mode: 0o000 });
      const as = root ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
      if (root) await execa("chown", ["-R", "65534:65534", dir]);
      chmodSync(dir, 0o755);
      const env = { HOME: home, TMUX_TMPDIR: join(home, "tmux"), PATH: process.env.PATH ?? "", NO_COLOR: "1" };
      const r = await execa(as[0] ?? process.execPath, [...as.slice(1), ...(root ? [process.execPath] : []), join(repoRoot, "dist", "mosaic.js"), "fleet", "apply", "--auto-approve", "--roster", "roster.yaml"], { cwd: dir, env, extendEnv: false, reject: false, timeout: 20_000 });
      expect(r.exitCode).toBe(1);
      expect(r.stderr.split("\n")[0]).toBe("error: roster.yaml: permission denied");
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
      expect(readdirSync(home)).toEqual(["tmux"]);
      expect(readdirSync(join(home, "tmux"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bad rosters", () => {
  let w: FleetWorld;
  beforeAll(async () => {
    w = new FleetWorld();
    await w.startSentinel();
  });
  afterAll(async () => {
    try {
      await w.expectSentinelUnchanged();
    } finally {
      await w.dispose();
      rmSync(made, { recursive: true, force: true });
    }
  });

  /** Every file under the world's home, which a refused roster must leave as it was. */
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => relative(dir, join(e.parentPath, e.name))).sort();

  it.each([...stored.map(([f, m]) => [f, m, corpus] as const), ...generated.map(([f, m]) => [f, m, made] as const)])("%s is refused: located, exit 1, no stack trace, nothing changed", async (file, expected, folder) => {
    const before = files(w.home.path);
    const r = await execa(process.execPath, [join(repoRoot, "dist", "mosaic.js"), "fleet", "apply", "--auto-approve", "--roster", file], {
      cwd: folder,
      env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
      timeout: 20_000, // a bound: a roster that hangs mosaic (a FIFO, an alias bomb) fails here
    });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(`error: ${expected}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    // No server on the fleet's default socket, nothing written under HOME, and the sentinel as it was.
    const fleetServer = await execa("tmux", ["-L", "mosaic-factory", "list-sessions"], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    expect(fleetServer.exitCode).not.toBe(0);
    expect(files(w.home.path)).toEqual(before);
    await w.expectSentinelUnchanged();
  });
});
