import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageAssetsCheck, PREFLIGHT_STAGES, REQUIRED_ASSETS } from "../../src/release/checklist.js";
import { scratchLayout } from "../../src/release/scratch.js";
import { scratchRosterText } from "../../src/release/scratch-roster.js";
import { repoRoot } from "../helpers/cli.js";

describe("the release preflight's pure parts", () => {
  it("names each required asset folder the package lacks", () => {
    const all = REQUIRED_ASSETS.map((d) => `${d}/x`);
    expect(packageAssetsCheck(all).status).toBe("pass");
    const without = packageAssetsCheck(all.filter((f) => !f.startsWith("framework/systemd/user/")));
    expect(without).toMatchObject({ status: "fail" });
    expect(without.evidence).toMatch(/^npm pack --dry-run ships nothing under framework\/systemd\/user: /);
    // A folder whose name only starts like a required one does not count.
    expect(packageAssetsCheck([...all.filter((f) => !f.startsWith("framework/fleet/")), "framework/fleetwood/x"]).status).toBe("fail");
  });

  it("moves a profile to the scratch socket and the direct backend, and runs a real agent with no profile arguments", () => {
    const text = readFileSync(join(repoRoot, "framework", "fleet", "examples", "minimal.yaml"), "utf8");
    const plain = scratchRosterText(text, { socket: "mosaic-preflight-1", agentCommand: null });
    expect(plain.agents).toEqual(["canary-pi"]);
    expect(plain.text).toMatch(/^socket: mosaic-preflight-1$/m);
    expect(plain.text).toMatch(/^backend: direct$/m);
    const real = scratchRosterText(text, { socket: "s", agentCommand: "/opt/bin/claude" });
    expect(real.text).not.toMatch(/^\s*(args|resume_args):/m);
    expect(real.text.match(/command: \/opt\/bin\/claude/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it("lists each stage once, and a stage needs only stages that run before it", () => {
    const names = PREFLIGHT_STAGES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    PREFLIGHT_STAGES.forEach((stage, i) => {
      for (const need of stage.needs) expect(names.slice(0, i), `${stage.name} needs ${need}`).toContain(need);
    });
  });

  it("keeps the whole scratch fleet in its folder, out of reach of the user's systemd manager", () => {
    const s = scratchLayout("/tmp/mosaic-preflight-x", 42, { PATH: "/usr/bin", XDG_RUNTIME_DIR: "/run/user/1000", DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus", TMPDIR: "/var/tmp", TMUX_TMPDIR: "/run/t" });
    for (const path of [s.home, s.prefix, s.tmuxTmpdir, s.tmpdir, s.roster, s.mosaicBin]) expect(path.startsWith("/tmp/mosaic-preflight-x/")).toBe(true);
    expect(s.env).toEqual({ PATH: "/tmp/mosaic-preflight-x/prefix/bin:/usr/bin", HOME: s.home, TMUX_TMPDIR: s.tmuxTmpdir, TMPDIR: s.tmpdir, LANG: "C.UTF-8", NO_COLOR: "1" });
    expect(s.socket).toBe("mosaic-preflight-42");
  });
});
