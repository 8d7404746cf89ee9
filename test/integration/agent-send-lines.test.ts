import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";
import { waitFor } from "../helpers/echo-agents.js";

/**
 * An agent that reads its terminal line by line (canonical mode: a shell's
 * `read`, a line REPL) gets at most 4095 bytes of a line from the kernel;
 * the rest is dropped. A longer line is refused, never "sent" cut short.
 */
describe("agent send to an agent that reads lines", () => {
  const world = useFleetWorld();

  it("refuses a line longer than the kernel passes, and delivers one that fits", async () => {
    const w = world();
    // dash's read leaves the terminal as it is: canonical mode, as for any program that reads lines.
    w.writeRoster([{ name: "liner", command: "sh", args: ["-c", 'while IFS= read -r l; do echo "got ${#l} bytes"; done'] }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const screen = async () => (await w.tmux(["capture-pane", "-p", "-J", "-t", "=liner:"])).stdout;

    const long = await w.mosaic(["agent", "send", "liner", "--message", "x".repeat(5000)]);
    expect(long.exitCode).toBe(1);
    expect(long.stderr).toContain("reads its terminal line by line (canonical mode), where the kernel passes at most 4095 bytes of a line");
    expect(long.stderr).toContain("nothing was sent");

    const fits = await w.mosaic(["agent", "send", "liner", "--source-label", "t", "--message", "y".repeat(3000)]);
    expect(fits.exitCode, fits.stderr).toBe(0);
    // "[from t] " and the text: 3009 bytes, whole.
    await waitFor(async () => (await screen()).includes("got 3009 bytes"), "the agent to read the whole line");
    expect(await screen()).not.toContain("got 4095");
  });
});
