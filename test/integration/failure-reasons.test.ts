import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

describe("an apply whose agent dies says why", () => {
  const world = useFleetWorld();

  it("shows the last lines its pane printed under 'not ready'", async () => {
    const w = world();
    const script = "echo starting; echo \"Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod'\" >&2; exit 1";
    w.writeRoster([{ name: "broken", command: "sh", args: ["-c", script], ready_after_seconds: 2 }]);
    const r = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/tmux\.session\["broken"\]: not ready: its process exited within 2s \(ready_after_seconds\)( with status 1)?\n {4}\| starting\n {4}\| Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'zod'\n/);
    expect(r.stderr).toContain("mosaic agent tail broken");
  });
});
