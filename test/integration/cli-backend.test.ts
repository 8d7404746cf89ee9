import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { mosaic } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
  w.writeRoster([{ name: "alpha" }]);
});

/** Every command that plans, changes or reports on the fleet, with the arguments it needs. */
const FLEET_COMMANDS = [
  ["fleet", "plan"],
  ["fleet", "apply", "--auto-approve"],
  ["fleet", "start"],
  ["fleet", "stop"],
  ["fleet", "restart"],
  ["fleet", "status"],
  ["fleet", "verify"],
  ["agent", "status"],
  ["agent", "reset", "alpha"],
];

const REFUSAL = (value: string) => `error: --backend takes auto, systemd or direct; got ${JSON.stringify(value)}`;

describe("--backend auto|systemd|direct", () => {
  it.each(FLEET_COMMANDS.map((c) => [c.slice(0, 2).join(" "), c] as const))("mosaic %s refuses a bad value before it reads the roster: one line, exit 1", async (_name, command) => {
    const r = await mosaic([...command, "--backend", "sysd", "--roster", `${w.home.path}/missing.yaml`], w.env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(REFUSAL("sysd"));
  });

  it.each(["Systemd", "", "auto "])("refuses %j and leaves a running fleet untouched", async (value) => {
    await w.ok(["fleet", "start"]);
    const before = await w.panes();
    const r = await w.mosaic(["fleet", "stop", "--backend", value]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(REFUSAL(value));
    expect(await w.panes()).toEqual(before);
  });

  it("is checked on a stop by socket too, which reads no roster", async () => {
    await w.ok(["fleet", "start"]);
    const before = await w.panes();
    const r = await mosaic(["fleet", "stop", "--socket", w.socket, "--backend", "none"], w.env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(REFUSAL("none"));
    expect(await w.panes()).toEqual(before);
  });

  it("accepts direct, which starts and stops the fleet as mosaic always has", async () => {
    await w.ok(["fleet", "start", "--backend", "direct"]);
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
    await w.ok(["fleet", "stop", "--backend", "direct"]);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("is refused by the commands that only read the roster file", async () => {
    for (const command of [["agent", "roster"], ["fleet", "init"]]) {
      const r = await w.mosaic([...command, "--backend", "direct"]);
      expect(r.exitCode, command.join(" ")).toBe(1);
      expect(r.stderr, command.join(" ")).toContain("Unknown Syntax Error: Unsupported option name (\"--backend\")");
    }
  });

  it("auto falls back to direct where the units are installed but there is no systemctl; asked for by name, it is a clear error", async () => {
    await w.ok(["fleet", "install-systemd"]);
    // A PATH with what the fleet needs (tmux, and env and sleep for the agents), and no systemctl.
    const bin = join(w.home.path, "bin-without-systemctl");
    mkdirSync(bin);
    for (const tool of ["tmux", "env", "sleep"]) symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`]).toString().trim(), join(bin, tool));
    const env = { PATH: bin };

    const plan = await w.mosaic(["fleet", "start"], { env });
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Backend: direct (auto: no systemd user manager answers)");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);

    const named = await w.mosaic(["fleet", "plan", "--backend", "systemd"], { env });
    expect(named.exitCode).toBe(1);
    expect(named.stderr).toContain("error: systemctl not found on PATH");
  });

  it("a launch folder behind a dangling link is a plan error naming it, and nothing is started", async () => {
    await w.ok(["fleet", "install-systemd"]);
    mkdirSync(join(w.home.path, ".local", "state", "mosaic"), { recursive: true });
    symlinkSync(join(w.home.path, "gone"), join(w.home.path, ".local", "state", "mosaic", "fleet"));
    const r = await w.mosaic(["fleet", "start"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`Error: ${join(w.home.path, ".local", "state", "mosaic", "fleet", "_holder.launch")} cannot be written: ${join(w.home.path, ".local", "state", "mosaic", "fleet")} is a symbolic link to nothing`);
    expect(await w.sessionNames()).toEqual([]);
  });
});
