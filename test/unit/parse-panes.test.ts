import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PANE_FIELDS } from "../../src/adapters/tmux.js";
import { parsePaneRows } from "../../src/observe/parse-panes.js";
import { repoRoot } from "../helpers/cli.js";

// Real `list-panes -a -F <PANE_FIELDS>` output captured from tmux 3.3a on this machine,
// from a server holding the cases below, hostile ones included (see each test). Captured
// when sessions carried the separate labels of format 1, so it also shows that sessions an
// older mosaic started read the same: their `@mosaic` column is empty, as tmux prints an
// unset option.
const captured = readFileSync(join(repoRoot, "fixtures", "tmux", "list-panes-3.3a.txt"), "utf8").replace(/\n$/, "").split("\n");

describe("parsePaneRows on captured tmux 3.3a output", () => {
  const observed = parsePaneRows("cap", captured);
  const byName = Object.fromEntries(observed.sessions.map((s) => [s.name, s]));

  it("reads one session per name, sorted, with nothing unreadable", () => {
    expect(observed.serverRunning).toBe(true);
    expect(observed.serverVersion).toBe("3.3a");
    expect(observed.unreadable).toEqual([]);
    expect(observed.sessions.map((s) => s.name)).toEqual(["_holder", "canary-pi", "closed", "crashed", "evil", "hand\\tmade", "killed", "old-agent", "split"]);
  });

  it("reads labels, the agent's own pane, pids and liveness", () => {
    expect(byName["canary-pi"]).toEqual({
      name: "canary-pi",
      managed: true,
      specHash: "v1:1111111111111111111111111111111111111111111111111111111111111111",
      specFields: null,
      launch: "new",
      createdAt: 1795555525,
      pane: { id: "%1", pid: 14355, dead: false, deadStatus: null, deadSignal: null, currentCommand: "sleep" },
      paneRecorded: true,
      paneCount: 1,
      rosterId: null,
    });
    expect(byName["_holder"]?.specFields).toEqual({ args: "0a1b2c3d", command: "1a2b3c4d", cwd: "2a3b4c5d", resume_args: "3a4b5c6d" });
  });

  it("says how a dead pane ended: its exit status, or the signal that killed it", () => {
    expect(byName["crashed"]?.pane).toMatchObject({ dead: true, deadStatus: 3, deadSignal: null });
    expect(byName["killed"]?.pane).toMatchObject({ dead: true, deadStatus: null, deadSignal: 9 });
  });

  it("marks a managed session without a spec hash or pane id, and unmanaged sessions", () => {
    expect(byName["old-agent"]).toMatchObject({ managed: true, specHash: null, launch: null, paneRecorded: false, pane: { id: "%5" } });
    expect(byName["hand\\tmade"]).toMatchObject({ managed: false, specHash: null, paneRecorded: false });
  });

  it("takes the recorded pane as the agent's, never a pane split off beside it", () => {
    expect(byName["split"]).toMatchObject({ paneCount: 2, paneRecorded: true, pane: { id: "%6", pid: 14389 } });
  });

  it("has no agent pane when the agent's window was closed, whatever other pane remains", () => {
    expect(byName["closed"]).toMatchObject({ paneCount: 1, paneRecorded: true, pane: null });
  });

  it("a process name carrying tabs, a newline and a forged row stays one field of its own row", () => {
    expect(byName["evil"]?.pane).toMatchObject({ id: "%10", pid: 14413, currentCommand: "x?name?_holder?0?0?%99?1?0???1?sleep?1?#{pane_pid}" });
    expect(observed.sessions.filter((s) => s.name === "_holder")).toHaveLength(1);
    expect(byName["_holder"]?.pane?.pid).toBe(14345);
    // A forged label is one value too, and refused because it is not in the form mosaic writes.
    expect(byName["evil"]?.specFields).toBeNull();
  });

  it("no server is an empty observation, not an error", () => {
    expect(parsePaneRows("cap", null)).toEqual({ socket: "cap", serverRunning: false, serverVersion: null, sessions: [], unreadable: [], globalLabels: [] });
  });

  it("refuses labels it did not write and rows it cannot read", () => {
    const row = (over: Record<string, string>) => PANE_FIELDS.map(([name]) => over[name] ?? ({ session_name: "x", window_index: "0", pane_index: "0", pane_id: "%1", pane_pid: "10", pane_dead: "0", session_created: "1" } as Record<string, string>)[name] ?? "").join("\t");
    const forged = row({ managed: "yes", spec: "v1:short", launch: "maybe", pane: "%1;", roster: "0123456789abcdeg" });
    const broken = row({ session_name: "y", pane_pid: "not-a-pid" });
    const badPane = row({ session_name: "z", pane_id: "1" });
    const extraTab = `${row({ session_name: "w" })}\textra`;
    const o = parsePaneRows("cap", [forged, broken, badPane, extraTab]);
    expect(o.sessions).toEqual([expect.objectContaining({ name: "x", managed: false, specHash: null, launch: null, paneRecorded: false, rosterId: null })]);
    expect(parsePaneRows("cap", [row({ managed: "1", roster: "0123456789abcdef" })]).sessions[0]?.rosterId).toBe("0123456789abcdef");
    expect(o.unreadable).toEqual([broken, badPane, extraTab]);
  });

  it("takes a pane in a window linked into several sessions for none of them: an agent could claim another's pane that way", () => {
    const row = (over: Record<string, string>) => PANE_FIELDS.map(([name]) => over[name] ?? ({ window_index: "0", pane_index: "0", pane_pid: "10", pane_dead: "0", session_created: "1", managed: "1" } as Record<string, string>)[name] ?? "").join("\t");
    // b's window, linked into a as window 5, and a's @mosaic-pane rewritten to b's pane %2.
    const o = parsePaneRows("cap", [
      row({ session_name: "a", pane_id: "%1", pane: "%2" }),
      row({ session_name: "a", window_index: "5", pane_id: "%2", pane_pid: "20", pane: "%2" }),
      row({ session_name: "b", pane_id: "%2", pane_pid: "20", pane: "%2" }),
      row({ session_name: "c", pane_id: "%3", pane_pid: "30", pane: "%3" }),
    ]);
    const byName = Object.fromEntries(o.sessions.map((s) => [s.name, s]));
    expect(byName["a"]).toMatchObject({ pane: null, paneRecorded: true, sharedPane: { id: "%2", sessions: ["a", "b"] } });
    expect(byName["b"]).toMatchObject({ pane: null, paneRecorded: true, sharedPane: { id: "%2", sessions: ["a", "b"] } });
    expect(byName["c"]?.pane?.id).toBe("%3");
    expect(byName["c"]?.sharedPane).toBeUndefined();
  });

  it("reads the @mosaic label, and takes it over separate labels an agent set beside it", () => {
    const row = (over: Record<string, string>) => PANE_FIELDS.map(([name]) => over[name] ?? ({ window_index: "0", pane_index: "0", pane_pid: "10", pane_dead: "0", session_created: "1" } as Record<string, string>)[name] ?? "").join("\t");
    const spec = `v1:${"cd".repeat(32)}`;
    const o = parsePaneRows("cap", [
      row({ session_name: "new", pane_id: "%1", label: `v2 pane=%1 managed=1 spec=${spec} launch=new roster=0123456789abcdef` }),
      row({ session_name: "both", pane_id: "%2", label: "v2 pane=%2 managed=1", managed: "1", spec, pane: "%9" }),
      row({ session_name: "forged", pane_id: "%3", label: "v2 pane=%3 managed=1 managed=1", managed: "1", spec }),
    ]);
    const byName = Object.fromEntries(o.sessions.map((s) => [s.name, s]));
    expect(byName["new"]).toMatchObject({ managed: true, specHash: spec, launch: "new", paneRecorded: true, pane: { id: "%1" }, rosterId: "0123456789abcdef" });
    expect(byName["both"]).toMatchObject({ managed: true, specHash: null, paneRecorded: true, pane: { id: "%2" } });
    // A label not in mosaic's exact form is none, and the separate labels beside it are not read instead.
    expect(byName["forged"]).toMatchObject({ managed: false, specHash: null, paneRecorded: false });
  });

  it("takes show-options lines before the rows for labels set for every session at once, never for rows", () => {
    const row = PANE_FIELDS.map(([name]) => ({ session_name: "x", window_index: "0", pane_index: "0", pane_id: "%1", pane_pid: "10", pane_dead: "0", session_created: "1" } as Record<string, string>)[name] ?? "").join("\t");
    const o = parsePaneRows("cap", ['@mosaic "v2 managed=1"', "@mosaic-managed 1", '@mosaic "v2\\tx"', row]);
    expect(o.globalLabels).toEqual(["@mosaic", "@mosaic-managed"]);
    expect(o.unreadable).toEqual([]);
    expect(o.sessions.map((s) => s.name)).toEqual(["x"]);
  });
});
