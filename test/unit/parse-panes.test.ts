import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePaneRows } from "../../src/observe/parse-panes.js";
import { repoRoot } from "../helpers/cli.js";

// Real `list-panes -a -F <PANE_FIELDS>` output captured from tmux 3.3a on this machine.
const captured = readFileSync(join(repoRoot, "fixtures", "tmux", "list-panes-3.3a.txt"), "utf8").replace(/\n$/, "").split("\n");

describe("parsePaneRows on captured tmux 3.3a output", () => {
  const observed = parsePaneRows("cap", captured);
  const byName = Object.fromEntries(observed.sessions.map((s) => [s.name, s]));

  it("reads one session per name, sorted, with nothing unreadable", () => {
    expect(observed.serverRunning).toBe(true);
    expect(observed.unreadable).toEqual([]);
    expect(observed.sessions.map((s) => s.name)).toEqual(["_holder", "canary-pi", "crashed", "hand\\tmade", "old-agent", "split"]);
  });

  it("reads labels, pids and liveness", () => {
    expect(byName["canary-pi"]).toEqual({
      name: "canary-pi",
      managed: true,
      specHash: "v1:1111111111111111111111111111111111111111111111111111111111111111",
      launch: "new",
      createdAt: 1795529387,
      pane: { pid: 6121, dead: false, deadStatus: null, currentCommand: "sleep" },
      paneCount: 1,
    });
    expect(byName["crashed"]?.pane).toEqual({ pid: 6124, dead: true, deadStatus: 3, currentCommand: "env" });
  });

  it("marks a managed session without a spec hash, and unmanaged sessions", () => {
    expect(byName["old-agent"]).toMatchObject({ managed: true, specHash: null, launch: null });
    expect(byName["hand\\tmade"]).toMatchObject({ managed: false, specHash: null });
  });

  it("takes the first pane as the agent and counts the rest", () => {
    expect(byName["split"]).toMatchObject({ paneCount: 2, pane: { pid: 6131 } });
  });

  it("no server is an empty observation, not an error", () => {
    expect(parsePaneRows("cap", null)).toEqual({ socket: "cap", serverRunning: false, sessions: [], unreadable: [] });
  });

  it("refuses labels it did not write and rows it cannot read", () => {
    const forged = "x\t0\t0\t10\t0\t\t1\tsleep\tyes\tv1:short\tmaybe";
    const broken = "y\t0\t0\tnot-a-pid\t0\t\t1\tsleep\t1\t\t";
    const extraTab = "z\t0\t0\t10\t0\t\t1\tsleep\t1\tv1:a\tb\tc";
    const o = parsePaneRows("cap", [forged, broken, extraTab]);
    expect(o.sessions).toEqual([expect.objectContaining({ name: "x", managed: false, specHash: null, launch: null })]);
    expect(o.unreadable).toEqual([broken, extraTab]);
  });
});
