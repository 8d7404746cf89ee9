import { execa } from "execa";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * A shell left in a folder that was deleted under it (a removed worktree, a
 * cleaned build folder) is where an operator often types `fleet stop`:
 * every command works from there, and only a relative path, which needs
 * the folder, is refused in words.
 */
describe("from a working folder that was deleted", () => {
  const world = useFleetWorld();

  it("plan, apply, status and stop work; a relative path is refused, saying why", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    const gone = join(w.home.path, "gone");
    mkdirSync(gone);
    const from = (args: string[]) =>
      execa("sh", ["-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", gone, process.execPath, cliPath, ...args], {
        env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" },
        extendEnv: false,
        reject: false,
      }).then((r) => {
        mkdirSync(gone);
        return r;
      });

    for (const args of [["fleet", "plan"], ["fleet", "apply", "--auto-approve"], ["fleet", "status"], ["fleet", "stop"]]) {
      const r = await from([...args, "--roster", w.rosterPath]);
      expect(r.exitCode, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toContain("unexpected");
    }
    const relative = await from(["fleet", "plan", "--roster", "roster.yaml"]);
    expect(relative.exitCode).toBe(1);
    expect(relative.stderr).toContain("--roster roster.yaml is a relative path, and the current folder is gone (deleted) or cannot be read");
    expect(relative.stderr).not.toContain("unexpected");
    expect(await w.sessionNames()).toEqual([]);
  });
});
