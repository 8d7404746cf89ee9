import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rosterId } from "../../src/identity/roster-id.js";
import { mosaic } from "../helpers/cli.js";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * A roster reached through a symbolic link (a site roster kept in a
 * dotfiles repository) is one roster with the file it names: its sessions
 * are the same whichever path named it.
 */
describe("a roster reached through a symbolic link", () => {
  const world = useFleetWorld();

  it("is the same roster as the file: plan, verify and stop through the link act on the sessions the file's apply made", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    const link = join(w.home.path, "link.yaml");
    symlinkSync(w.rosterPath, link);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const through = (args: string[]) => mosaic([...args, "--roster", link], w.env);
    const plan = await through(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect((await through(["fleet", "verify"])).exitCode).toBe(0);
    const stop = await through(["fleet", "stop"]);
    expect(stop.exitCode, stop.stdout + stop.stderr).toBe(0);
    expect(await w.sessionNames()).toEqual([]);
  });

  it("resolves relative paths from the file's own folder, so applying through the link and through the file replaces nothing", async () => {
    const w = world();
    mkdirSync(join(w.home.path, "real", "work"), { recursive: true });
    mkdirSync(join(w.home.path, "links"));
    const real = join(w.home.path, "real", "roster.yaml");
    writeFileSync(real, `socket: ${w.socket}\ndefaults:\n  command: sleep\n  args: ["1000"]\n  cwd: ./work\n  ready_after_seconds: 0\nagents:\n  - name: alpha\n`);
    const link = join(w.home.path, "links", "roster.yaml");
    symlinkSync("../real/roster.yaml", link);
    const via = (path: string, args: string[]) => mosaic([...args, "--roster", path], w.env);
    expect((await via(link, ["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    expect((await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_current_path}"])).stdout.trim()).toBe(join(w.home.path, "real", "work"));
    const plan = await via(real, ["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    await via(real, ["fleet", "stop"]);
  });

  it("adopts the sessions an earlier mosaic labelled with the link's own identity: nothing replaced or refused", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const link = join(w.home.path, "link.yaml");
    symlinkSync(w.rosterPath, link);
    const through = (args: string[]) => mosaic([...args, "--roster", link], w.env);
    expect((await through(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    const pane = (await w.panes()).alpha;
    // As a mosaic that knew a roster by the path it was given labelled it.
    await w.rewriteLabel("alpha", "roster", rosterId(link));
    const plan = await through(["fleet", "plan", "--detailed-exitcode"]);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect((await through(["fleet", "verify"])).exitCode).toBe(0);
    expect((await through(["fleet", "apply", "--auto-approve"])).exitCode).toBe(0);
    expect((await w.panes()).alpha).toBe(pane);
  });
});
