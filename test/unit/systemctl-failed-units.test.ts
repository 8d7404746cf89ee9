import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedUnits } from "../../src/adapters/systemctl.js";
import { repoRoot } from "../helpers/cli.js";

interface Case {
  readonly what: string;
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;
  readonly failed: readonly string[];
}

// Real stderr of many-unit systemctl calls on systemd 252, with the units that really failed.
const captured = JSON.parse(readFileSync(join(repoRoot, "fixtures", "systemd", "unit-commands-252.json"), "utf8")) as { cases: Case[] };

describe("failedUnits on captured systemd 252 stderr", () => {
  it.each(captured.cases.map((c) => [c.what, c] as const))("%s", (_what, c) => {
    const units = c.argv.slice(c.argv.indexOf("--") + 1);
    expect(c.exitCode).not.toBe(0);
    expect(failedUnits(c.stderr, units)).toEqual(c.failed);
  });
});

describe("failedUnits", () => {
  it("matches whole unit names only, not a name inside a longer one", () => {
    const stderr = "Job for t@a.service failed because the control process exited with error code.\n";
    expect(failedUnits(stderr, ["a.service", "t@a.service", "t@a.service.d"])).toEqual(["t@a.service"]);
  });

  it("blames every unit, in the order given, when the message names none of them", () => {
    expect(failedUnits("Failed to connect to bus: No such file or directory\n", ["b.service", "a.service"])).toEqual(["b.service", "a.service"]);
    expect(failedUnits("", ["a.service"])).toEqual(["a.service"]);
    expect(failedUnits("Job for other.service failed.\n", ["a.service"])).toEqual(["a.service"]);
  });

  it("answers in the order of the units asked, not of the messages", () => {
    const stderr = "Job for z.service failed because a timeout was exceeded.\nFailed to start a.service: Unit a.service not found.\n";
    expect(failedUnits(stderr, ["a.service", "m.service", "z.service"])).toEqual(["a.service", "z.service"]);
  });
});
