import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * The permissions SECURITY.md promises for everything mosaic writes, on a
 * home where it has written each kind: units and tools, launch files, its
 * state, a saved plan, and the folders it made for the private ones.
 */
describe("the modes of what mosaic writes (SECURITY.md)", () => {
  const world = useFleetWorld();

  it("are those SECURITY.md lists", async () => {
    const w = world();
    // The default layout: no XDG_CONFIG_HOME or XDG_STATE_HOME, as most users have it.
    const env = { HOME: w.home.path, TMUX_TMPDIR: w.env.TMUX_TMPDIR! };
    w.writeRoster([{ name: "alpha" }], { backend: "direct" });
    const run = (args: string[]) => w.mosaic(args, { env: { XDG_CONFIG_HOME: "", ...env } });
    expect((await run(["fleet", "install-systemd", "--drift-timer"])).exitCode).toBe(0);
    expect((await run(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    const plan = join(w.home.path, "release.plan");
    expect((await run(["fleet", "plan", "--out", plan])).exitCode).toBe(0);
    expect((await run(["fleet", "stop"])).exitCode).toBe(0);

    const home = w.home.path;
    const mode = (path: string) => (statSync(join(home, path)).mode & 0o777).toString(8).padStart(4, "0");
    const state = ".local/state/mosaic";
    const expected: Record<string, string> = {
      ".config/systemd/user/mosaic-tmux-holder.service": "0644",
      ".config/systemd/user/mosaic-agent@.service": "0644",
      ".config/systemd/user/mosaic-fleet-drift.service": "0644",
      ".config/systemd/user/mosaic-fleet-drift.timer": "0644",
      ".config/mosaic/tools/fleet/start-agent-session.sh": "0755",
      ".config/mosaic/tools/fleet/stop-agent-session.sh": "0755",
      ".config/mosaic/tools/lib/exec-tool.sh": "0644",
      ".config/mosaic/tools/lib/mosaic-session.mjs": "0644",
      ".config/mosaic/tools/lib/node-path": "0644",
      ".config/mosaic/tools/tmux/agent-send.sh": "0755",
      ".config/mosaic/tools/tmux/send-message.sh": "0755",
      ".config/mosaic/tools/tmux/mosaic.tmux.conf": "0644",
      [`${state}/fleet/_holder.launch`]: "0600",
      [`${state}/fleet/alpha.launch`]: "0600",
      [`${state}/installed.json`]: "0600",
      "release.plan": "0600",
      [state]: "0700",
      [`${state}/fleet`]: "0700",
      [`${state}/rosters`]: "0700",
    };
    for (const f of readdirSync(join(home, state, "rosters"))) expected[`${state}/rosters/${f}`] = "0600";
    expect(Object.keys(expected).filter((p) => p.startsWith(`${state}/rosters/`))).toHaveLength(1);
    expect(Object.fromEntries(Object.keys(expected).map((p) => [p, mode(p)]))).toEqual(expected);
  });
});
