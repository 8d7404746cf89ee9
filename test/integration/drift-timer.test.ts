import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosaic } from "../helpers/cli.js";
import { recordInstalled } from "../../src/adapters/install-record.js";
import { fileHash } from "../../src/identity/file-hash.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the drift timer tests need a user manager in a mount namespace: ${why}`);

/**
 * `fleet install-systemd --drift-timer`: the drift check as a timer and a
 * oneshot service on a real `systemd --user`. A drift is a failed run, so
 * `systemctl --user --failed` sees it; a fleet that matches is a success.
 */
describe.skipIf(why !== null)("the drift timer on a real systemd --user manager", () => {
  const box = new SystemdSandbox();
  const units = () => join(box.env.HOME!, ".config", "systemd", "user");
  const roster = () => join(box.env.HOME!, "roster.yaml");
  const run = (args: string[]) => mosaic([...args, "--roster", roster()], box.env);
  const result = async () => (await box.systemctl(["show", "-p", "Result", "-p", "ExecMainStatus", "-p", "ActiveState", "mosaic-fleet-drift.service"])).stdout;

  beforeAll(async () => {
    await box.start();
    // The direct backend: the check is about the agents' sessions, not about units this test does not use.
    writeFileSync(roster(), JSON.stringify({ socket: "drift-fleet", backend: "direct", defaults: { command: "sleep", args: ["1000"], ready_after_seconds: 0 }, agents: [{ name: "alpha" }] }));
  });
  afterAll(async () => {
    await run(["fleet", "stop"]);
    await box.dispose();
  });

  it("installs a service and a timer that pass systemd-analyze verify, as planned files", async () => {
    const r = await run(["fleet", "install-systemd", "--drift-timer", "--every", "30min", "--reload"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("systemctl --user enable --now mosaic-fleet-drift.timer");
    const service = join(units(), "mosaic-fleet-drift.service");
    const timer = join(units(), "mosaic-fleet-drift.timer");
    expect(statSync(service).mode & 0o777).toBe(0o644);
    expect(readFileSync(service, "utf8")).toContain(`"fleet" "plan" "--detailed-exitcode" "--quiet" "--roster" "${roster()}"`);
    expect(readFileSync(timer, "utf8")).toMatch(/^OnUnitActiveSec=30min$/m);
    const verify = await box.run(["systemd-analyze", "--user", "verify", service, timer]);
    expect(verify.exitCode, verify.stderr).toBe(0);

    const again = await run(["fleet", "install-systemd", "--drift-timer", "--every", "30min", "--dry-run"]);
    expect(again.stdout).toContain("No changes.");
  });

  it("fails its run while the fleet has drifted, and succeeds once it matches", async () => {
    expect(existsSync(join(units(), "mosaic-fleet-drift.service"))).toBe(true);
    const drifted = await box.systemctl(["start", "mosaic-fleet-drift.service"]);
    expect(drifted.exitCode).not.toBe(0);
    expect(await result()).toContain("Result=exit-code\nExecMainStatus=2");
    expect((await box.systemctl(["--failed", "--plain", "--no-legend"])).stdout).toContain("mosaic-fleet-drift.service");

    expect((await run(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    await box.systemctl(["reset-failed", "mosaic-fleet-drift.service"]);
    const converged = await box.systemctl(["start", "mosaic-fleet-drift.service"]);
    expect(converged.exitCode, converged.stderr).toBe(0);
    expect(await result()).toContain("Result=success\nExecMainStatus=0");
  });

  it("is written again by mosaic update for the node and mosaic it runs on, after an upgrade into another prefix", async () => {
    const service = join(units(), "mosaic-fleet-drift.service");
    // As a mosaic installed under another prefix (or another nvm node) wrote it, and recorded it.
    const old = readFileSync(service, "utf8").replace(/^ExecStart="[^"]*" "[^"]*"/m, 'ExecStart="/old/prefix/bin/node" "/old/prefix/lib/node_modules/mosaic/dist/mosaic.js"');
    writeFileSync(service, old);
    await recordInstalled(box.env, [{ path: service, hash: fileHash(old) }]);
    // Every plan says so, since the timer's runs now fail as a drift would.
    expect((await run(["fleet", "plan"])).stdout).toContain("the drift check runs /old/prefix/bin/node /old/prefix/lib/node_modules/mosaic/dist/mosaic.js, which is no longer there");
    const update = await mosaic(["update", "--auto-approve"], box.env);
    expect(update.exitCode, update.stderr).toBe(0);
    const now = readFileSync(service, "utf8");
    expect(now).not.toContain("/old/prefix");
    expect(now).toContain(`ExecStart="${process.execPath}"`);
    expect(now).toContain(`"--roster" "${roster()}"`);
    expect(readFileSync(join(units(), "mosaic-fleet-drift.timer"), "utf8")).toMatch(/^OnUnitActiveSec=30min$/m);
    expect((await mosaic(["update", "--dry-run"], box.env)).stdout).toContain("No changes.");
  });

  it("can be turned on, and --every is checked before anything is written", async () => {
    const on = await box.systemctl(["enable", "--now", "mosaic-fleet-drift.timer"]);
    expect(on.exitCode, on.stderr).toBe(0);
    expect((await box.systemctl(["is-active", "mosaic-fleet-drift.timer"])).stdout).toBe("active");
    for (const [every, message] of [
      ["5s", "is less than a minute"],
      ["soon", "not a time span"],
    ]) {
      const r = await run(["fleet", "install-systemd", "--drift-timer", "--every", every!]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(message!);
    }
    const alone = await run(["fleet", "install-systemd", "--every", "15min"]);
    expect(alone.stderr).toContain("--every needs --drift-timer");
    expect(readFileSync(join(units(), "mosaic-fleet-drift.timer"), "utf8")).toMatch(/^OnUnitActiveSec=30min$/m);
  });
});
