import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

describe("npm run demo (the README's main job)", () => {
  it("runs the loop to a verified fleet and back, leaving nothing behind", async () => {
    const r = await execa(process.execPath, [join(repoRoot, "dist", "demo", "run-demo.js")], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
    });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Verified: 3 sessions live on socket "mosaic-demo".');
    expect(r.stdout).toMatch(/^-\/\+ demo-beta +replace: reset requested; starting a new conversation$/m);
    // The message reached the agent, and its answer shows in its pane.
    expect(r.stdout).toMatch(/^Sent to demo-alpha \(pane %\d+\) as [^ ]+:operator: status check$/m);
    expect(r.stdout.match(/^\[demo-alpha\] received: \[from [^ ]+:operator\] status check$/gm)?.length).toBe(2); // --wait-for, then agent tail
    expect(r.stdout).toContain("Verified: the fleet is stopped.");
    const home = /temporary home: (\S+)/.exec(r.stdout)?.[1];
    expect(home).toBeDefined();
    expect(existsSync(home!)).toBe(false);
  });
});
