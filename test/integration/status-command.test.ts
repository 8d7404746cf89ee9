import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

describe("fleet status COMMAND", () => {
  const world = useFleetWorld();

  it("names the roster's command, with the process running it when that differs, a dead pane's too", async () => {
    const w = world();
    w.writeRoster([
      { name: "script", command: "sh", args: ["-c", "exec sleep 100000"] },
      { name: "gone", command: "sh", args: ["-c", "exit 4"], ready_after_seconds: 0 },
    ], { defaults: { ready_after_seconds: 0 } });
    await w.mosaic(["fleet", "apply", "--auto-approve"]);
    const table = (await w.mosaic(["fleet", "status"])).stdout.split("\n");
    const command = (name: string) => {
      const header = table.find((l) => l.startsWith("NAME "))!;
      const row = table.find((l) => l.startsWith(`${name} `))!;
      return row.slice(header.indexOf("COMMAND"), header.indexOf("UPTIME")).trim();
    };
    // sh replaced itself with sleep: the roster said sh.
    expect(command("script")).toBe("sh (sleep)");
    expect(command("gone")).toBe("sh");
    const json = JSON.parse((await w.mosaic(["fleet", "status", "--json"])).stdout) as { sessions: { name: string; command: string | null; roster_command: string | null }[] };
    expect(json.sessions.find((s) => s.name === "script")).toMatchObject({ command: "sleep", roster_command: "sh" });
  });
});
