import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseUnits } from "../../src/observe/parse-units.js";
import { repoRoot } from "../helpers/cli.js";

// Real `systemctl --user show -p ...` output from systemd 252 on this machine: the holder and
// alpha enabled and started, beta installed but never started, broken failed, and a unit with no file.
const captured = readFileSync(join(repoRoot, "fixtures", "systemd", "show-252.txt"), "utf8");

describe("parseUnits on captured systemd 252 output", () => {
  const units = parseUnits(captured);
  const byName = Object.fromEntries(units.map((u) => [u.name, u]));

  it("reads one unit per block, in the order asked", () => {
    expect(units.map((u) => u.name)).toEqual(["mosaic-tmux-holder.service", "mosaic-agent@alpha.service", "mosaic-agent@beta.service", "mosaic-agent@broken.service", "mosaic-nothing.service"]);
  });

  it("reads a oneshot that ran as active (exited) and enabled: evidence the unit ran, not that an agent lives", () => {
    expect(byName["mosaic-agent@alpha.service"]).toEqual({
      name: "mosaic-agent@alpha.service",
      loadState: "loaded",
      activeState: "active",
      subState: "exited",
      unitFileState: "enabled",
      result: "success",
      needDaemonReload: false,
    });
  });

  it("reads stopped, failed and missing units", () => {
    expect(byName["mosaic-agent@beta.service"]).toMatchObject({ activeState: "inactive", subState: "dead", unitFileState: "disabled" });
    expect(byName["mosaic-agent@broken.service"]).toMatchObject({ activeState: "failed", result: "exit-code" });
    expect(byName["mosaic-nothing.service"]).toMatchObject({ loadState: "not-found", unitFileState: "" });
  });

  it("skips a block it cannot identify, and reads empty output as no units", () => {
    expect(parseUnits("LoadState=loaded\nActiveState=active\n\nId=x.service\nLoadState=loaded\n")).toEqual([expect.objectContaining({ name: "x.service" })]);
    expect(parseUnits("")).toEqual([]);
  });
});
