import { writeFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
beforeEach(() => {
  w = world();
});

/** A fleet that has drifted both ways: alpha's session was killed, and old-agent left the roster while running. */
async function drifted(): Promise<void> {
  w.writeRoster([{ name: "alpha" }, { name: "old-agent" }]);
  expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
  w.writeRoster([{ name: "alpha" }]);
  expect((await w.tmux(["kill-session", "-t", "=alpha"])).exitCode).toBe(0);
}

describe("the drift check: fleet plan --detailed-exitcode --quiet", () => {
  it("prints exactly one line naming each agent that differs, and exits 2, on a drifted fleet", async () => {
    await drifted();
    const r = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--quiet"]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("drift: +alpha -old-agent (2 agents; 1 to add, 0 to change, 1 to destroy)");
    expect(r.stderr).toBe("");
    // It changed nothing: alpha is still missing, old-agent still runs.
    expect(await w.sessionNames()).toEqual(["_holder", "old-agent"]);
  });

  it("prints nothing at all and exits 0 on a converged fleet", async () => {
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    expect((await w.mosaic(["fleet", "start"])).exitCode).toBe(0);
    const r = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--quiet"]);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, "", ""]);
  });

  it("--json gives the same verdict to a script: has_changes, and the exit code", async () => {
    await drifted();
    const r = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--json"]);
    expect(r.exitCode).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.has_changes).toBe(true);
    expect(doc.summary).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(await w.mosaic(["fleet", "apply", "--auto-approve"])).toMatchObject({ exitCode: 0 });
    const after = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--json"]);
    expect(after.exitCode).toBe(0);
    expect(JSON.parse(after.stdout).has_changes).toBe(false);
  });

  it("an error is not drift: it goes to stderr, alone, with exit 1", async () => {
    writeFileSync(w.rosterPath, "agents: [\n");
    const r = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--quiet"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/roster/);
  });

  it("a plan with errors is not drift either: its errors on stderr, no drift line, exit 1", async () => {
    w.writeRoster([{ name: "alpha", cwd: "/nonexistent/folder" }]);
    const r = await w.mosaic(["fleet", "plan", "--detailed-exitcode", "--quiet"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Error: .*\/nonexistent\/folder/m);
  });

  it("refuses --quiet with --json, changing nothing", async () => {
    w.writeRoster([{ name: "alpha" }]);
    const r = await w.mosaic(["fleet", "plan", "--quiet", "--json"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("--json and --quiet cannot be used together");
  });
});
