import { describe, expect, it } from "vitest";
import { runTool } from "../../src/cli/tools/main.js";

/** The session tool as its shims run it, with no tmux behind it: refusals only. */
async function tool(argv: string[]) {
  const err: string[] = [];
  const code = await runTool(argv, { env: { HOME: "/nonexistent", PATH: "" }, err: (l) => err.push(l), stdin: async () => "" });
  return { code, err: err.join("\n") };
}

describe("the session tool's refusals", () => {
  it.each([
    [["start-agent-session", "x\x1b[2J\x1b[31mRED\nfake line"]],
    [["agent-send", "-L", "mo\x1b[31m", "alpha", "hi"]],
    [["send-message", "-L", "fleet", "-t", "%1\x1b[2J", "hi"]],
  ])("show what they were given escaped, on one line: %j", async (argv) => {
    const r = await tool(argv);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(r.err).toContain("\\e[");
  });

  it("cut a name too long to be one", async () => {
    const r = await tool(["stop-agent-session", "a".repeat(100_000)]);
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(400);
  });
});
