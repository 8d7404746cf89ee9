import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

describe("the lingering notice where logind cannot be asked", () => {
  const world = useFleetWorld();

  it("is said once a day, not at every install-systemd and update", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    // A PATH without loginctl: whether lingering is on cannot be told.
    const bin = join(w.home.path, "bin");
    mkdirSync(bin);
    for (const tool of ["node", "tmux", "systemctl", "flock", "tee"]) {
      const found = (await execa("sh", ["-c", `command -v ${tool}`], { reject: false })).stdout.trim();
      if (found !== "") symlinkSync(found, join(bin, tool));
    }
    const env = { PATH: bin };
    const first = await w.mosaic(["fleet", "install-systemd"], { env });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain("Could not tell whether lingering is enabled (loginctl is not installed)");
    const second = await w.mosaic(["fleet", "install-systemd"], { env });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).not.toContain("Could not tell whether lingering is enabled");
  });
});
