import { describe, expect, it } from "vitest";
import type { BatchResult, EffectResult, Effects } from "../../src/apply/effects.js";
import { executePlan } from "../../src/apply/execute.js";
import { PLAN_FORMAT_VERSION, ROSTER_INTENT, type Plan, type SessionChange } from "../../src/plan/types.js";
import { holderSession } from "../../src/identity/launch.js";

/** A session created through its unit: one `systemctl start` step that launches it. */
function createdByUnit(name: string): SessionChange {
  return {
    address: `tmux.session["${name}"]`,
    type: "tmux.session",
    name,
    reason: "missing",
    message: "no session yet",
    dependsOn: [],
    runsCaller: false,
    stopGraceSeconds: 5,
    action: "create",
    held: false,
    before: null,
    after: { ...holderSession(5), role: "agent", name },
    steps: [{ kind: "systemctl", verb: "start", unit: `mosaic-agent@${name}.service`, launches: name }],
  };
}

function planOf(changes: SessionChange[]): Plan {
  return { formatVersion: PLAN_FORMAT_VERSION, socket: "s", rosterPath: null, intent: ROSTER_INTENT, backend: "systemd", backendWhy: "", changes, diagnostics: [], observedFingerprint: "" };
}

/** The executor's hands, as a user manager where one unit of a batch fails and the others start their sessions. */
function effects(failing: string, calls: string[][]): Effects {
  const no = async (): Promise<EffectResult> => ({ ok: false, error: "not expected" });
  return {
    launchSessions: async (afters) => new Map(afters.map((a) => [a.name, { ok: false, error: "not expected" }])),
    label: no,
    stopSessions: async (stops) => new Map(stops.map((s) => [s.session, { ok: false, error: "not expected" }])),
    daemonReload: no,
    writeFile: no,
    removeFile: no,
    async systemctl(verb, units): Promise<BatchResult> {
      calls.push([verb, ...units]);
      return units.includes(failing) ? { ok: false, failed: [failing], error: `Job for ${failing} failed because the control process exited with error code.` } : { ok: true };
    },
    async panesOf(sessions) {
      return new Map(sessions.filter((s) => `mosaic-agent@${s}.service` !== failing).map((s, i) => [s, `%${i + 1}`]));
    },
  };
}

describe("a batch of systemctl steps", () => {
  it("is one call, and one unit failing fails only its own change: the others started, and their panes are found", async () => {
    const calls: string[][] = [];
    const outcomes = await executePlan(planOf(["a", "b", "c"].map(createdByUnit)), effects("mosaic-agent@b.service", calls), () => {});
    expect(calls).toEqual([["start", "mosaic-agent@a.service", "mosaic-agent@b.service", "mosaic-agent@c.service"]]);
    const by = new Map(outcomes.map((o) => [o.change.name, o]));
    expect(by.get("b")).toMatchObject({ status: "failed" });
    expect(by.get("b")!.detail).toContain("Job for mosaic-agent@b.service failed");
    expect(by.get("a")).toMatchObject({ status: "done", launched: { paneId: "%1" } });
    expect(by.get("c")).toMatchObject({ status: "done", launched: { paneId: "%2" } });
  });
});
