import { beforeEach, describe, expect, it } from "vitest";
import { mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
  w.writeRoster([{ name: "alpha" }]);
});

describe("--lock-timeout SECONDS", () => {
  // A value starting with "-" must be bound with "=", or clipanion takes it for an option.
  it.each([
    ["", ["--lock-timeout", ""]],
    [" 5", ["--lock-timeout", " 5"]],
    ["1e3", ["--lock-timeout", "1e3"]],
    ["-1", ["--lock-timeout=-1"]],
    ["Infinity", ["--lock-timeout", "Infinity"]],
    ["5s", ["--lock-timeout", "5s"]],
  ])("refuses %j before anything happens: one line, exit 1, the fleet untouched", async (value, option) => {
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const before = await w.panes();
    const r = await w.mosaic(["fleet", "stop", ...option]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`error: --lock-timeout takes a plain number of seconds, like 0, 5 or 2.5; got ${JSON.stringify(value)}`);
    expect(await w.panes()).toEqual(before);
  });

  it("is checked before the roster is read", async () => {
    const r = await mosaic(["fleet", "apply", "--auto-approve", "--lock-timeout", "1e3", "--roster", `${w.home.path}/missing.yaml`], w.env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('error: --lock-timeout takes a plain number of seconds, like 0, 5 or 2.5; got "1e3"');
  });

  it.each(["0", "2.5"])("accepts %j", async (value) => {
    const r = await w.mosaic(["fleet", "start", "--lock-timeout", value]);
    expect(r.exitCode).toBe(0);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });
});
