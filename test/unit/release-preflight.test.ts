import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageAssetsCheck, REQUIRED_ASSETS } from "../../src/release/checklist.js";
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
});
