import { execa } from "execa";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mosaic, repoRoot } from "../helpers/cli.js";
import { writeLaunchFiles } from "../helpers/launch-files.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${why}`);

describe.skipIf(why !== null)("the shipped units on a real systemd --user manager", () => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const units = () => join(home(), ".config", "systemd", "user");
  const roster = () => join(home(), "roster.yaml");
  const socket = "sd-fleet";
  const tmux = (args: string[]) => execa("tmux", ["-L", socket, ...args], { env: box.env, extendEnv: false, reject: false });
  const sessions = async () => (await tmux(["list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  // The direct backend: these units were installed by hand, not planned (systemd-backend.test.ts plans them).
  const plan = () => mosaic(["fleet", "plan", "--detailed", "--detailed-exitcode", "--backend", "direct", "--roster", roster()], box.env);

  beforeAll(async () => {
    await box.start();
    // What install-systemd will do: the units, and the tools they run, under the user's config.
    mkdirSync(units(), { recursive: true });
    for (const f of readdirSync(join(repoRoot, "framework", "systemd", "user"))) copyFileSync(join(repoRoot, "framework", "systemd", "user", f), join(units(), f));
    const tools = join(home(), ".config", "mosaic", "tools", "fleet");
    mkdirSync(tools, { recursive: true });
    for (const f of readdirSync(join(repoRoot, "framework", "tools", "fleet"))) copyFileSync(join(repoRoot, "framework", "tools", "fleet", f), join(tools, f));
    // The session tool the scripts run, and the node to run it with, as install-systemd records it.
    const lib = join(home(), ".config", "mosaic", "tools", "lib");
    mkdirSync(lib, { recursive: true });
    for (const f of readdirSync(join(repoRoot, "framework", "tools", "lib"))) copyFileSync(join(repoRoot, "framework", "tools", "lib", f), join(lib, f));
    writeFileSync(join(lib, "node-path"), `${process.execPath}\n`);
    const tmuxTools = join(home(), ".config", "mosaic", "tools", "tmux");
    mkdirSync(tmuxTools, { recursive: true });
    copyFileSync(join(repoRoot, "framework", "tools", "tmux", "mosaic.tmux.conf"), join(tmuxTools, "mosaic.tmux.conf"));
    // What apply will do: the launch files the units read.
    writeFileSync(roster(), JSON.stringify({ socket, defaults: { command: "sleep", args: ["1000"], stop_grace_seconds: 2 }, agents: [{ name: "alpha" }, { name: "beta" }] }));
    const launchDir = join(box.env.XDG_STATE_HOME!, "mosaic", "fleet");
    mkdirSync(launchDir, { recursive: true });
    await writeLaunchFiles({ rosterPath: roster(), home: { path: home() } }, launchDir, join(tmuxTools, "mosaic.tmux.conf"));
    expect((await box.systemctl(["daemon-reload"])).exitCode).toBe(0);
  });
  afterAll(() => box.dispose());

  it("pass systemd-analyze verify, which fails a broken unit", async () => {
    const ok = await box.run(["systemd-analyze", "--user", "verify", join(units(), "mosaic-tmux-holder.service"), join(units(), "mosaic-agent@.service")]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    writeFileSync(join(box.root, "broken.service"), "[Service]\nExecStart=relative/path\n");
    expect((await box.run(["systemd-analyze", "--user", "verify", join(box.root, "broken.service")])).exitCode).not.toBe(0);
  });

  it("start agents through the holder, as sessions the planner sees as its own", async () => {
    const r = await box.systemctl(["start", "mosaic-agent@alpha.service", "mosaic-agent@beta.service"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await sessions()).toEqual(["_holder", "alpha", "beta"]);
    const show = await box.systemctl(["show", "-p", "ActiveState", "-p", "SubState", "mosaic-tmux-holder.service"]);
    expect(show.stdout).toBe("ActiveState=active\nSubState=exited");
    const p = await plan();
    expect(p.stdout).toMatch(/^No changes. The fleet matches the roster.$/m);
    expect(p.exitCode).toBe(0);
  });

  it("stop one agent through its unit, leaving the others; the holder's stop ends them all", async () => {
    expect((await box.systemctl(["stop", "mosaic-agent@alpha.service"])).exitCode).toBe(0);
    expect(await sessions()).toEqual(["_holder", "beta"]);
    const p = await plan();
    expect(p.exitCode).toBe(2);
    expect(p.stdout).toContain('# tmux.session["alpha"] will be created (missing');

    expect((await box.systemctl(["stop", "mosaic-tmux-holder.service"])).exitCode).toBe(0);
    expect(await sessions()).toEqual([]);
    const beta = await box.systemctl(["show", "-p", "ActiveState", "mosaic-agent@beta.service"]);
    expect(beta.stdout).toBe("ActiveState=inactive");
  });
});
