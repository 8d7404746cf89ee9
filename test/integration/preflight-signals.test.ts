import { execa } from "execa";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PREFLIGHT_STAGE_NAMES } from "../../src/release/checklist.js";
import { cliPath, tempDir } from "../helpers/cli.js";

/**
 * A hangup (a closed terminal or ssh session) during each stage of
 * `mosaic fleet preflight` leaves nothing of its scratch world behind.
 * The test-only hold (MOSAIC_TEST_PREFLIGHT_HOLD, cli/fault-injection.ts)
 * stops the preflight as the stage begins, after every earlier stage has
 * really run (the package installed, the scratch fleet up), and writes a
 * marker saying where its scratch world is; the test then sends SIGHUP.
 *
 * Cost: each case runs the real stages before its own, so the cases add
 * up to about four whole preflights (a preflight is mostly npm install and
 * the fleet lifecycle): 124 s measured on this machine's 2 cores shared at
 * a load of 8 to 10, where one whole preflight took 15 s quiet, 32 s busy.
 * Sharing a packed file between cases would save under a second each
 * (`npm pack` is about 1 s), and skipping the earlier stages would leave
 * the clean-up nothing real to remove, which is what is tested.
 */
describe("mosaic fleet preflight, hung up on during each stage", () => {
  const world = tempDir("hup");
  // A case that failed or timed out before its hangup leaves a preflight held: hang up on it here, so it cleans up.
  const running = new Map<ChildProcess, Promise<unknown>>();
  afterAll(async () => {
    for (const [child, exited] of running) {
      child.kill("SIGHUP");
      await exited;
    }
    world.cleanup();
  });
  const lifecycle = PREFLIGHT_STAGE_NAMES.indexOf("lifecycle");

  it.each(PREFLIGHT_STAGE_NAMES.map((stage, i) => [stage, i > lifecycle] as const))(
    "SIGHUP during %s: exit 130, the report names the stage, and no scratch server, process or folder is left",
    async (stage, fleetUp) => {
      // Short: the scratch socket's path, under this folder, must fit a Unix socket path (107 bytes).
      const dir = join(world.path, String(PREFLIGHT_STAGE_NAMES.indexOf(stage)));
      const home = join(dir, "home");
      const tmp = join(dir, "tmp");
      const tmuxTmpdir = join(dir, "tmux");
      for (const d of [home, tmp, tmuxTmpdir]) mkdirSync(d, { recursive: true, mode: 0o700 });
      const marker = join(dir, "held.json");
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        TMPDIR: tmp,
        TMUX_TMPDIR: tmuxTmpdir,
        NO_COLOR: "1",
        npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"),
        npm_config_update_notifier: "false",
        MOSAIC_TEST_PREFLIGHT_HOLD: stage,
        MOSAIC_TEST_PREFLIGHT_HELD: marker,
      };
      const child = spawn(process.execPath, [cliPath, "fleet", "preflight", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      let ended = false;
      running.set(child, exited);
      void exited.then(() => {
        ended = true;
        running.delete(child);
      });

      // The deadline only bounds a hang; a preflight that ends before the stage is a failure shown with its output.
      await expect.poll(() => existsSync(marker) || ended, { timeout: 170_000, interval: 50 }).toBe(true);
      expect(existsSync(marker), `${out}\n${err}`).toBe(true);
      const where = JSON.parse(readFileSync(marker, "utf8")) as { stage: string; pid: number; dir: string; socket: string; tmux_tmpdir: string };
      expect(where).toMatchObject({ stage, pid: child.pid });
      // What the checks below look for is there while held, so their finding nothing afterwards means something.
      const whileHeld = { folder: existsSync(where.dir), processes: scratchProcesses(where).length > 0, server: (await tmuxLs(where.socket, where.tmux_tmpdir)).exitCode === 0 };

      child.kill("SIGHUP");
      const code = await exited;

      expect(code, err).toBe(130);
      const report = JSON.parse(out);
      const earlier = new Set<string>(PREFLIGHT_STAGE_NAMES.slice(0, PREFLIGHT_STAGE_NAMES.indexOf(stage)));
      const unsound = report.checks.filter((c: { name: string; status: string }) => earlier.has(c.name) && c.status !== "pass");
      expect(unsound, "the stages before it passed, so it had their scratch world to clean up").toEqual([]);
      expect(whileHeld).toEqual({ folder: true, processes: fleetUp, server: fleetUp });
      expect(report).toMatchObject({ ok: false, interrupted: true, interruption: { signal: "SIGHUP", stage }, scratch: { dir: where.dir, socket: where.socket, kept: false, left: [] } });
      expect(report.checks).toContainEqual({ name: "interrupted", status: "fail", evidence: expect.stringContaining(`stopped by a signal (SIGHUP) during ${stage}`) });
      expect(report.checks).toContainEqual({ name: stage, status: "skip", evidence: "not finished: SIGHUP came during it" });

      // No server answers on the scratch socket, from its own TMUX_TMPDIR or the test's, and none runs.
      expect((await tmuxLs(where.socket, where.tmux_tmpdir)).exitCode).not.toBe(0);
      expect((await tmuxLs(where.socket, tmuxTmpdir)).exitCode).not.toBe(0);
      expect(scratchProcesses(where)).toEqual([]);
      // No folder: the preflight's TMPDIR (where it made its scratch folder) is empty again.
      expect(existsSync(where.dir)).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
      // No unit of the user's: the scratch mosaic installs its unit files in the scratch home only, and
      // reaches no systemd manager (its environment has no XDG_RUNTIME_DIR; test/unit/release-preflight.test.ts).
      expect(readdirSync(home)).toEqual([]);
    },
    180_000,
  );
});

function tmuxLs(socket: string, tmuxTmpdir: string) {
  return execa("tmux", ["-L", socket, "ls"], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TMUX_TMPDIR: tmuxTmpdir }, extendEnv: false, reject: false });
}

/**
 * Live processes of the scratch world: its tmux server (whose command line
 * names the socket) and anything in its panes or run from its prefix
 * (their environment or command line holds the scratch folder or socket).
 * A zombie has neither, and runs nothing.
 */
function scratchProcesses(held: { dir: string; socket: string }): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    let seen: string;
    try {
      seen = `${readFileSync(`/proc/${pid}/cmdline`, "utf8")}\0${readFileSync(`/proc/${pid}/environ`, "utf8")}`;
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (seen.includes(held.dir) || seen.includes(held.socket)) found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")}`);
  }
  return found;
}
