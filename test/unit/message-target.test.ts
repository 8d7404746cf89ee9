import { describe, expect, it } from "vitest";
import { agentPane } from "../../src/message/target.js";
import type { ObservedSession, ObservedTmux } from "../../src/observe/types.js";
import { parse, y } from "../helpers/roster.js";

const desired = parse(y(["socket: fleet", "agents:", "  - name: alpha", "    command: pi", "  - name: off", "    command: pi", "    enabled: false"]));

function session(name: string, over: Partial<ObservedSession> = {}): ObservedSession {
  return {
    name,
    managed: true,
    specHash: null,
    specFields: null,
    launch: "resume",
    createdAt: 0,
    pane: { id: "%3", pid: 100, dead: false, deadStatus: null, deadSignal: null, currentCommand: "pi" },
    paneRecorded: true,
    paneCount: 1,
    rosterId: null,
    ...over,
  };
}

const tmux = (...sessions: ObservedSession[]): ObservedTmux => ({ socket: "fleet", serverRunning: true, serverVersion: "3.3a", sessions, unreadable: [], globalLabels: [] });
const dead = { id: "%3", pid: 100, dead: true, deadStatus: 2, deadSignal: null, currentCommand: "pi" };

describe("agentPane", () => {
  it("finds an enabled roster agent's live pane", () => {
    const r = agentPane(desired, tmux(session("alpha")), "alpha", "send");
    expect(r).toMatchObject({ ok: true, target: { pane: { id: "%3" }, agent: { name: "alpha" } } });
  });

  it("refuses a session mosaic did not start, even with the agent's name", () => {
    expect(agentPane(desired, tmux(session("alpha", { managed: false })), "alpha", "send")).toEqual({
      ok: false,
      message: 'the session "alpha" on socket "fleet" was not started by mosaic; it is left alone; nothing was sent',
      hints: [],
    });
  });

  it("refuses a session whose own pane cannot be told apart", () => {
    const r = agentPane(desired, tmux(session("alpha", { pane: null, paneCount: 2, paneRecorded: false })), "alpha", "send");
    expect(r).toMatchObject({ ok: false, message: 'cannot tell agent "alpha"\'s own pane among the 2 of its session; nothing was sent', hints: ["Run `mosaic agent reset alpha` to start it afresh."] });
  });

  it("sends to no dead pane, but tails one: its last output says how it ended", () => {
    expect(agentPane(desired, tmux(session("alpha", { pane: dead })), "alpha", "send")).toMatchObject({ ok: false, message: expect.stringContaining("its pane is dead (status 2)") });
    expect(agentPane(desired, tmux(session("alpha", { pane: dead })), "alpha", "tail")).toMatchObject({ ok: true });
  });

  it("tails a disabled agent's or a dropped agent's session still running, but sends to neither", () => {
    expect(agentPane(desired, tmux(session("off")), "off", "tail")).toMatchObject({ ok: true, target: { agent: { name: "off" } } });
    expect(agentPane(desired, tmux(session("off")), "off", "send")).toMatchObject({ ok: false, message: expect.stringContaining("disabled") });
    expect(agentPane(desired, tmux(session("gone")), "gone", "tail")).toMatchObject({ ok: true, target: { agent: null } });
    expect(agentPane(desired, tmux(session("gone")), "gone", "send")).toMatchObject({ ok: false, message: 'no agent "gone" in the roster /site/fleet/roster.yaml' });
  });

  it.each(["-x", "=alpha", "alpha:0", "%3", "alpha.0", "Alpha", "_holder", ""])("refuses the name %j before looking", (name) => {
    expect(agentPane(desired, tmux(session("alpha")), name, "send")).toMatchObject({ ok: false, message: expect.stringMatching(/^not an agent name/) });
  });

  it("says why there is no session: no server at all, or a disabled agent", () => {
    expect(agentPane(desired, { ...tmux(), serverRunning: false }, "alpha", "send")).toMatchObject({ ok: false, message: 'no tmux server runs on socket "fleet", so agent "alpha" has no session; nothing was sent', hints: ["Run `mosaic fleet start` to start the fleet."] });
    expect(agentPane(desired, tmux(), "alpha", "tail")).toMatchObject({ ok: false, message: 'agent "alpha" has no session on socket "fleet"' });
    expect(agentPane(desired, tmux(), "off", "tail")).toEqual({ ok: false, message: 'agent "off" is disabled in the roster (enabled: false) and has no session on socket "fleet"', hints: [] });
  });
});
