import { describe, expect, it } from "vitest";
import { parseProcessStat } from "../../src/adapters/processes.js";
import { paneGroupVerdict } from "../../src/apply/pane-group.js";

const leader = (pid: number, state = "S") => ({ state, pgrp: pid, session: pid });

describe("which process group a stop may signal", () => {
  it.each([
    ["a live pane whose pid leads its own group and session", { pid: 500, dead: false }, leader(500), { signal: true, pgid: 500 }],
    ["a live pane whose pid is in another group", { pid: 500, dead: false }, { state: "S", pgrp: 400, session: 400 }, { signal: false }],
    ["a live pane whose pid tmux reports but /proc does not have", { pid: 500, dead: false }, null, { signal: false }],
    ["a dead pane whose leader is a zombie", { pid: 500, dead: true }, leader(500, "Z"), { signal: true, pgid: 500 }],
    ["a dead pane whose leader is reaped (its group may live on)", { pid: 500, dead: true }, null, { signal: true, pgid: 500 }],
    ["a dead pane whose pid now runs another process", { pid: 500, dead: true }, leader(500), { signal: false }],
    ["pid 1", { pid: 1, dead: false }, leader(1), { signal: false }],
    ["pid 0", { pid: 0, dead: true }, null, { signal: false }],
    ["a pane that is gone", undefined, null, { signal: false }],
  ] as const)("%s", (_what, pane, proc, expected) => {
    expect(paneGroupVerdict(pane, proc)).toMatchObject(expected);
  });

  it("reads /proc/PID/stat whatever the process named itself", () => {
    expect(parseProcessStat("123 (a) b (c)) 9) S 1 77 77 0 -1 4194560")).toEqual({ state: "S", pgrp: 77, session: 77 });
    expect(parseProcessStat("garbage")).toBeNull();
  });
});
