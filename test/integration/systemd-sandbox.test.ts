import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemctlClient } from "../../src/adapters/systemctl.js";
import { parseUnits } from "../../src/observe/parse-units.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${why}`);

describe.skipIf(why !== null)("a real systemd --user manager in a sandbox", () => {
  const box = new SystemdSandbox();
  beforeAll(() => box.start());
  afterAll(() => box.dispose());

  const tmux = (args: string[]) => execa("tmux", args, { env: box.env, extendEnv: false, reject: false });

  it("answers systemctl --user, and a oneshot unit's tmux server lives in the unit and dies with it", async () => {
    const units = join(box.env.XDG_CONFIG_HOME!, "systemd", "user");
    mkdirSync(units, { recursive: true });
    writeFileSync(
      join(units, "sandbox-probe.service"),
      "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/env tmux -L sandbox-probe new-session -d -s holder sleep infinity\n",
    );
    expect((await box.systemctl(["daemon-reload"])).exitCode).toBe(0);
    expect((await box.systemctl(["start", "sandbox-probe.service"])).exitCode).toBe(0);
    const show = await box.systemctl(["show", "sandbox-probe.service", "-p", "ActiveState", "-p", "SubState"]);
    expect(show.stdout).toBe("ActiveState=active\nSubState=exited");
    expect((await tmux(["-L", "sandbox-probe", "has-session", "-t", "=holder"])).exitCode).toBe(0);

    expect((await box.systemctl(["stop", "sandbox-probe.service"])).exitCode).toBe(0);
    expect((await tmux(["-L", "sandbox-probe", "has-session", "-t", "=holder"])).exitCode).not.toBe(0);
  });

  it("the systemctl adapter reads every unit asked for in one call, from outside the namespace too", async () => {
    const units = parseUnits((await new SystemctlClient({ env: box.env }).showUnits(["sandbox-probe.service", "mosaic-none.service"]))!);
    expect(units.map((u) => [u.name, u.loadState, u.activeState])).toEqual([
      ["sandbox-probe.service", "loaded", "inactive"],
      ["mosaic-none.service", "not-found", "inactive"],
    ]);
  });
});

describe("the systemctl adapter without a user manager", () => {
  it("says there is none (null) instead of failing", async () => {
    const run = mkdtempSync(join(tmpdir(), "mosaic-no-manager-"));
    try {
      const client = new SystemctlClient({ env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: run } });
      expect(await client.showUnits(["mosaic-tmux-holder.service"])).toBeNull();
      expect(await new SystemctlClient({ env: { PATH: process.env.PATH } }).showUnits(["x.service"])).toBeNull();
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });
});
