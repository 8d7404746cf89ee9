import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstalled } from "../../src/adapters/install-record.js";
import { fileHash } from "../../src/identity/file-hash.js";
import { PRODUCT_FILES } from "../../src/framework.js";
import { repoRoot } from "../helpers/cli.js";
import { writeLegacyLaunchFiles } from "../helpers/launch-files.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the upgrade tests need a user manager in a mount namespace: ${why}`);

/** The files mosaic 0.1.0 installed: units and bash tools that read format-1 launch files. */
const PREVIOUS = join(repoRoot, "fixtures", "previous-release");

/**
 * A fleet that an older mosaic installed and started through its units,
 * then `mosaic update` from this one: the units keep their agents, and from
 * then on start, stop and resume them through the one session tool, from
 * the launch files the older mosaic wrote until the next apply rewrites
 * them, restarting nothing.
 */
describe.skipIf(why !== null)("units installed by the previous release, after mosaic update", () => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const socket = "up-fleet";
  const sh = (line: string) => box.run(["sh", "-c", line]);
  const ok = async (line: string) => {
    const r = await sh(line);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const panePid = async (name: string) => (await box.run(["tmux", "-L", socket, "display-message", "-p", "-t", `=${name}:`, "#{pane_pid}"])).stdout.trim();
  const sessions = async () => (await box.run(["tmux", "-L", socket, "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  const launchFile = (name: string) => readFileSync(join(home(), ".local", "state", "mosaic", "fleet", `${name}.launch`), "utf8");

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    const installed: { path: string; hash: string }[] = [];
    const put = (from: string, to: string, mode: number) => {
      mkdirSync(join(to, ".."), { recursive: true });
      copyFileSync(from, to);
      chmodSync(to, mode);
      installed.push({ path: to, hash: fileHash(readFileSync(to, "utf8")) });
    };
    const unitDir = join(home(), ".config", "systemd", "user");
    for (const f of readdirSync(join(PREVIOUS, "systemd", "user"))) put(join(PREVIOUS, "systemd", "user", f), join(unitDir, f), 0o644);
    for (const dir of ["fleet", "tmux"]) {
      for (const f of readdirSync(join(PREVIOUS, "tools", dir))) {
        const from = join(PREVIOUS, "tools", dir, f);
        put(from, join(home(), ".config", "mosaic", "tools", dir, f), readFileSync(from, "utf8").startsWith("#!") ? 0o755 : 0o644);
      }
    }
    // What that release recorded of its install, so update knows the files as its own, not edited by hand.
    await recordInstalled({ HOME: home() }, installed);
    const roster = join(home(), ".config", "mosaic", "fleet", "roster.yaml");
    mkdirSync(join(roster, ".."), { recursive: true });
    writeFileSync(roster, JSON.stringify({ socket, defaults: { command: "sleep", args: ["100000"], stop_grace_seconds: 1 }, agents: [{ name: "alpha" }, { name: "beta" }] }));
    const launchDir = join(home(), ".local", "state", "mosaic", "fleet");
    mkdirSync(launchDir, { recursive: true });
    await writeLegacyLaunchFiles({ rosterPath: roster, home: { path: home() } }, launchDir, join(home(), ".config", "mosaic", "tools", "tmux", "mosaic.tmux.conf"));
    await ok("systemctl --user daemon-reload");
    await ok("systemctl --user enable --now mosaic-agent@alpha.service mosaic-agent@beta.service");
    expect(await sessions()).toEqual(["_holder", "alpha", "beta"]);
  });
  afterAll(() => box.dispose());

  it("update replaces the tools with the shims and the session tool, records this node, and restarts no agent", async () => {
    const before = [await panePid("alpha"), await panePid("beta")];
    await ok("mosaic update --auto-approve");
    const lib = join(home(), ".config", "mosaic", "tools", "lib");
    expect(readFileSync(join(lib, "node-path"), "utf8")).toBe(`${process.execPath}\n`);
    for (const f of PRODUCT_FILES.filter((p) => p.source !== null && p.type === "file.tool")) {
      expect(readFileSync(join(home(), ".config", "mosaic", "tools", f.name), "utf8"), f.name).toBe(readFileSync(join(repoRoot, "framework", f.source!), "utf8"));
    }
    expect([await panePid("alpha"), await panePid("beta")]).toEqual(before);
    expect(launchFile("alpha").startsWith("mosaic-launch-v1\0")).toBe(true);
  });

  it("the units stop and start an agent through the session tool, from the launch file the previous release wrote", async () => {
    const beta = await panePid("beta");
    await ok("systemctl --user stop mosaic-agent@alpha.service");
    expect(await sessions()).toEqual(["_holder", "beta"]);
    await ok("systemctl --user start mosaic-agent@alpha.service");
    expect(await sessions()).toEqual(["_holder", "alpha", "beta"]);
    expect(await panePid("beta")).toBe(beta);
    // The session the tool started from a format-1 file is one the planner takes for its own.
    await ok("mosaic fleet verify");
  });

  it("the next apply rewrites the launch files to this release's format and restarts nothing; the units keep working from them", async () => {
    const before = [await panePid("alpha"), await panePid("beta")];
    const apply = await ok("mosaic fleet apply --auto-approve");
    expect(apply.stdout).toContain('file.launch["alpha"]');
    expect(launchFile("alpha").startsWith("{")).toBe(true);
    expect([await panePid("alpha"), await panePid("beta")]).toEqual(before);
    expect((await sh("mosaic fleet plan --detailed-exitcode")).exitCode).toBe(0);

    await ok("systemctl --user restart mosaic-agent@beta.service");
    expect(await panePid("beta")).not.toBe(before[1]);
    await ok("mosaic fleet verify");
    await ok("mosaic fleet stop");
    expect(await sessions()).toEqual([]);
  });
});
