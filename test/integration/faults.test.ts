import { execa } from "execa";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliPath, mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

/**
 * An apply killed outright (SIGKILL: a power cut, the OOM killer) after any
 * step of a plan that creates, replaces and deletes: the next apply must
 * converge, with each agent's session once, no stale lock, and no
 * half-written file. MOSAIC_TEST_KILL_AFTER_STEP=K is read only for this
 * (src/cli/fleet-command.ts).
 */
describe("an apply killed after any step", () => {
  const world = useFleetWorld();

  /** b and c run; the roster then adds a, changes b and drops c: one create, one replace (two steps), one delete. */
  const fleetBefore = async (w: FleetWorld) => {
    w.writeRoster([{ name: "b" }, { name: "c" }]);
    await w.ok(["fleet", "start"]);
    w.writeRoster([{ name: "a" }, { name: "b", args: ["2000"] }]);
  };

  it("converges on the next apply, whichever step it was killed after", async () => {
    const w = world();
    await fleetBefore(w);
    const plan = JSON.parse((await w.ok(["fleet", "plan", "--json"])).stdout) as { resource_changes: { action: string; steps: unknown[] }[] };
    const steps = plan.resource_changes.filter((c) => c.action !== "noop").reduce((n, c) => n + c.steps.length, 0);
    expect(steps).toBe(4);

    for (let k = 1; k <= steps; k++) {
      // The same world, brought back to b and c running (an apply, itself from a converged fleet).
      if (k > 1) await fleetBefore(w);
      const killed = await w.mosaic(["fleet", "apply", "--auto-approve"], { env: { MOSAIC_TEST_KILL_AFTER_STEP: String(k) } });
      expect(killed.exitCode, `killed after step ${k}`).not.toBe(0);
      expect(killed.stdout, `killed after step ${k}`).not.toContain("Apply complete!");

      // No lock left behind: a lock timeout of 0 would refuse a held one.
      const next = await w.mosaic(["fleet", "apply", "--auto-approve", "--lock-timeout", "0"]);
      expect(next.exitCode, `after step ${k}: ${next.stdout}\n${next.stderr}`).toBe(0);
      expect(await w.sessionNames(), `after step ${k}`).toEqual(["_holder", "a", "b"]);
      const b = (await w.tmux(["display-message", "-p", "-t", "=b:", "#{pane_current_command} #{pane_start_command}"])).stdout;
      expect(b, `after step ${k}`).toContain("2000");
      expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode, `after step ${k}`).toBe(0);
      // Every file mosaic keeps is whole: its state parses, and no temporary file is left beside it.
      const stateDir = join(w.home.path, ".local", "state", "mosaic");
      for (const f of readdirSync(stateDir, { recursive: true, encoding: "utf8" })) {
        expect(f, `after step ${k}`).not.toMatch(/\.tmp-/);
        if (f.endsWith(".json")) expect(() => JSON.parse(readFileSync(join(stateDir, f), "utf8")), `${f} after step ${k}`).not.toThrow();
      }
    }
  }, 120_000);
});

describe("the fleet's socket file removed under a running server (a /tmp cleaner)", () => {
  const world = useFleetWorld();

  it("refuses to start a second copy of the fleet, says how to recover, and after SIGUSR1 the fleet is seen again", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const server = (await w.tmux(["display-message", "-p", "#{pid}"])).stdout.trim();
    const socket = (await w.tmux(["display-message", "-p", "#{socket_path}"])).stdout.trim();
    rmSync(socket);
    const r = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain(`Error: a tmux server still listens for ${socket}, but its socket file is gone`);
    expect(existsSync(socket), "no new server was started on the path").toBe(false);
    // Nor does a stop claim the fleet stopped while its agents run.
    const stop = await w.mosaic(["fleet", "stop"]);
    expect(stop.exitCode, stop.stdout + stop.stderr).toBe(1);
    expect(stop.stdout).not.toContain("The fleet is stopped");
    // The commands that only look say so too, and none claims there is no server or sends to start one.
    for (const args of [["fleet", "status"], ["agent", "status", "alpha"], ["fleet", "verify"], ["agent", "send", "alpha", "--message", "hi"], ["agent", "tail", "alpha"]]) {
      const look = await w.mosaic(args);
      expect(look.exitCode, `${args.join(" ")}\n${look.stdout}${look.stderr}`).toBe(1);
      expect(look.stdout + look.stderr, args.join(" ")).toContain("its socket file is gone");
      expect(look.stdout + look.stderr, args.join(" ")).not.toContain("fleet start");
    }
    process.kill(Number(server), "SIGUSR1"); // tmux recreates its socket
    await expect.poll(() => existsSync(socket), { timeout: 10_000 }).toBe(true);
    const again = await w.mosaic(["fleet", "plan", "--detailed-exitcode"]);
    expect(again.exitCode, again.stdout).toBe(0);
  });
});

describe("an install-systemd killed after any step", () => {
  /** Every file under a home, by path relative to it, with its bytes (the home's own path as ~; its private tmux folder aside). */
  const tree = (home: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(home, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [relative(home, join(e.parentPath, e.name)), e] as const)
        // The install lock and who last held it (a pid) are no installed files.
        .filter(([path]) => !path.startsWith("tmux/") && !/\.lock(\.holder)?$/.test(path))
        .map(([path, e]) => [path, readFileSync(join(e.parentPath, e.name), "utf8").replaceAll(home, "~")] as const)
        .sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  const worlds: FleetWorld[] = [];
  const fresh = () => {
    const w = new FleetWorld();
    worlds.push(w);
    return w;
  };
  afterAll(async () => {
    for (const w of worlds) await w.dispose();
  });
  const run = (w: FleetWorld, args: string[], env: Record<string, string> = {}) => mosaic(args, { ...w.env, ...env });

  it("leaves each installed file whole or absent, and the next install-systemd converges, with update finding nothing to do", async () => {
    const reference = fresh();
    const plan = JSON.parse((await run(reference, ["fleet", "install-systemd", "--dry-run", "--json"])).stdout) as { resource_changes: { action: string; steps: unknown[] }[] };
    const steps = plan.resource_changes.filter((c) => c.action !== "noop").reduce((n, c) => n + c.steps.length, 0);
    expect(steps).toBeGreaterThan(3);
    expect((await run(reference, ["fleet", "install-systemd"])).exitCode).toBe(0);
    const installed = tree(reference.home.path);

    for (let k = 1; k <= steps; k++) {
      const at = `killed after step ${k} of ${steps}`;
      const w = fresh();
      const killed = await run(w, ["fleet", "install-systemd"], { MOSAIC_TEST_KILL_AFTER_STEP: String(k) });
      expect(killed.exitCode, at).not.toBe(0);
      // Each file is the product's (or the install record, whole), byte for byte, or not there: no half-written file, no temporary one.
      // (The writes of one round run at once, so how many landed before the kill varies.)
      const partial = tree(w.home.path);
      for (const [path, content] of Object.entries(partial)) {
        if (path.endsWith(".json")) expect(() => JSON.parse(content), `${at}: ${path}`).not.toThrow();
        else expect(content, `${at}: ${path}`).toBe(installed[path]);
      }
      const again = await run(w, ["fleet", "install-systemd"]);
      expect(again.exitCode, `${at}\n${again.stdout}\n${again.stderr}`).toBe(0);
      expect(tree(w.home.path), at).toEqual(installed);
      const update = await run(w, ["update"]);
      expect(update.exitCode, `${at}\n${update.stdout}\n${update.stderr}`).toBe(0);
      expect(update.stdout, at).toContain("No changes");
    }
  }, 120_000);

  it("removes the temporary files a killed writer left beside the files it writes, and only those of writers that are gone", async () => {
    const w = fresh();
    expect((await run(w, ["fleet", "install-systemd"])).exitCode).toBe(0);
    const units = join(w.env.XDG_CONFIG_HOME!, "systemd", "user");
    // A process that has ended, and one that runs (this test): a writer killed mid-write, and one still writing.
    const gone = (await execa("sh", ["-c", "echo $$"])).stdout.trim();
    const stale = join(units, `.mosaic-agent@.service.tmp-${gone}-0badf00d`);
    const live = join(units, `.mosaic-agent@.service.tmp-${process.pid}-1badf00d`);
    writeFileSync(stale, "[Unit]\nhalf");
    writeFileSync(live, "[Unit]\nbeing written");
    // A change there, so the next install writes in that folder.
    writeFileSync(join(units, "mosaic-tmux-holder.service"), "");
    const r = await run(w, ["fleet", "install-systemd", "--force"]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

const unshare = await execa("unshare", ["-m", "--propagation", "private", "true"], { reject: false });
if (unshare.exitCode !== 0) console.warn(`SKIPPED: the full-disk test needs unshare -m: ${unshare.stderr.trim() || `exit ${unshare.exitCode}`}`);

describe.skipIf(unshare.exitCode !== 0)("mosaic's state folder on a full file system", () => {
  const world = useFleetWorld();

  it("an apply still makes the fleet, warns that it could not record it, and leaves no half-written file", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const state = join(w.home.path, "state");
    mkdirSync(state);
    // A 16 KiB tmpfs, filled, as XDG_STATE_HOME, in a mount namespace of the command's own.
    const script = `mount -t tmpfs -o size=16k tmpfs "$STATE" && { head -c 1048576 /dev/zero > "$STATE/fill"; true; } && "$@"; rc=$?; echo "left: $(find "$STATE" -name '.*tmp-*' | wc -l) temporary files" >&2; exit $rc`;
    const r = await execa("unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", process.execPath, cliPath, "fleet", "apply", "--auto-approve", "--roster", w.rosterPath], {
      env: { ...w.env, XDG_STATE_HOME: state, STATE: state, PATH: process.env.PATH ?? "" },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: could not record this apply under \S+ \(.*ENOSPC.*\); a later socket change will not be warned about/);
    expect(r.stderr).toContain("left: 0 temporary files");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });

  it("fleet init --write on a full file system says so, naming the folder, and leaves no half-written roster", async () => {
    const w = world();
    const config = join(w.home.path, "full-config");
    mkdirSync(config);
    const script = `mount -t tmpfs -o size=16k tmpfs "$CFG" && { head -c 1048576 /dev/zero > "$CFG/fill"; true; } && "$@"; rc=$?; echo "files: $(find "$CFG" -type f ! -name fill | wc -l)" >&2; exit $rc`;
    const r = await execa("unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", process.execPath, cliPath, "fleet", "init", "--profile", "minimal", "--write"], {
      env: { ...w.env, XDG_CONFIG_HOME: config, CFG: config, PATH: process.env.PATH ?? "" },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: cannot write in the folder ${join(config, "mosaic", "fleet")}: no space left on the device`);
    expect(r.stderr).not.toContain("unexpected");
    expect(r.stderr).toContain("files: 0");
  });
});
