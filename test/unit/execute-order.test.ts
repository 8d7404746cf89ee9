import { describe, expect, it } from "vitest";
import type { BatchResult, EffectResult, Effects } from "../../src/apply/effects.js";
import { executePlan } from "../../src/apply/execute.js";
import { holderSession } from "../../src/identity/launch.js";
import { MANAGER_ADDRESS } from "../../src/plan/addresses.js";
import type { ActionOutcome } from "../../src/plan/outcome.js";
import { PLAN_FORMAT_VERSION, ROSTER_INTENT, type FileChange, type ManagerChange, type Plan, type PlanStep, type ResourceChange, type SessionChange } from "../../src/plan/types.js";

/**
 * The order in which the executor carries out a plan, with effects that
 * answer when the test says so: no clock, no tmux, no systemd.
 */

const agent = (name: string) => ({ ...holderSession(30), role: "agent" as const, name });
const before = (name: string) => ({ name, managed: true, specHash: null, specFields: null, launch: null, createdAt: 0, pane: { id: `%${name}`, pid: 4242, dead: false, deadStatus: null, deadSignal: null, currentCommand: "sleep" }, paneRecorded: true, paneCount: 1 });
const base = { dependsOn: [] as string[], runsCaller: false, message: "" };

function created(name: string, steps: PlanStep[], dependsOn: string[] = []): SessionChange {
  return { ...base, address: `tmux.session["${name}"]`, type: "tmux.session", name, reason: "missing", stopGraceSeconds: 30, action: "create", held: false, before: null, after: agent(name), steps, dependsOn };
}

function replaced(name: string): SessionChange {
  const steps: PlanStep[] = [
    { kind: "tmux.stop", session: name, paneId: `%${name}`, graceSeconds: 30 },
    { kind: "tmux.launch", after: agent(name) },
  ];
  return { ...base, address: `tmux.session["${name}"]`, type: "tmux.session", name, reason: "spec-changed", stopGraceSeconds: 30, action: "replace", held: false, before: before(name), after: agent(name), steps };
}

/** An agent removed from the roster: its stop waits out a 30 s grace when the agent ignores SIGTERM. */
function deleted(name: string): SessionChange {
  const steps: PlanStep[] = [{ kind: "tmux.stop", session: name, paneId: `%${name}`, graceSeconds: 30 }];
  return { ...base, address: `tmux.session["${name}"]`, type: "tmux.session", name, reason: "not-in-roster", stopGraceSeconds: 30, action: "delete", held: false, before: before(name), after: null, steps };
}

function launchFile(name: string, action: "create" | "delete", dependsOn: string[] = []): FileChange {
  const path = `/state/fleet/${name}.launch`;
  const common = { ...base, address: `file.launch["${name}"]`, type: "file.launch" as const, name, path, held: false as const, dependsOn };
  return action === "create"
    ? { ...common, action, reason: "missing", before: null, after: { content: name, mode: 0o600 }, steps: [{ kind: "file.write", path, content: name, mode: 0o600, backup: false, record: false }] }
    : { ...common, action, reason: "not-in-roster", before: { content: name, mode: 0o600 }, after: null, steps: [{ kind: "file.remove", path, record: false }] };
}

function reload(): ManagerChange {
  return { ...base, address: MANAGER_ADDRESS, type: "systemd.manager", name: "manager", reason: "unit-files-changed", action: "update", held: false, before: null, after: null, steps: [{ kind: "daemon-reload" }] };
}

function startedByUnit(name: string, dependsOn: string[]): SessionChange {
  return created(name, [{ kind: "systemctl", verb: "start", unit: `mosaic-agent@${name}.service`, launches: name }], dependsOn);
}

function planOf(changes: ResourceChange[]): Plan {
  return { formatVersion: PLAN_FORMAT_VERSION, socket: "s", rosterPath: null, intent: ROSTER_INTENT, backend: "direct", backendWhy: "", changes, diagnostics: [], observedFingerprint: "" };
}

/** A promise the test settles by hand. */
function held<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Let every effect that already answered land: turns of the event loop, never time. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Effects that log each call. Calls named in `holding` answer only when
 * the test releases them; the others succeed at the next turn of the event loop.
 */
class FakeHands {
  readonly calls: string[] = [];
  readonly holding = new Map<string, { promise: Promise<EffectResult>; resolve: (r: EffectResult) => void }>();

  hold(what: string): (r?: EffectResult) => void {
    const h = held<EffectResult>();
    this.holding.set(what, h);
    return (r = { ok: true }) => h.resolve(r);
  }

  /** An answer comes in a callback of its own, as a process's exit does: two answers are two events. */
  private answer(what: string): Promise<EffectResult> {
    this.calls.push(what);
    return this.holding.get(what)?.promise ?? new Promise((resolve) => setImmediate(() => resolve({ ok: true })));
  }

  readonly effects: Effects = {
    launchSessions: async (afters) => {
      this.calls.push(`launch ${afters.map((a) => a.name).join(" ")}`);
      return new Map(afters.map((a) => [a.name, { ok: true, paneId: `%new-${a.name}` }]));
    },
    label: async () => ({ ok: false, error: "not expected" }),
    stopSessions: async (stops) => {
      const results = await Promise.all(stops.map((s) => this.answer(`stop ${s.session} (grace ${s.graceSeconds}s)`)));
      return new Map(stops.map((s, i) => [s.session, results[i]!]));
    },
    systemctl: async (verb, units): Promise<BatchResult> => {
      this.calls.push(`systemctl ${verb} ${units.join(" ")}`);
      return { ok: true };
    },
    panesOf: async (sessions) => new Map(sessions.map((s) => [s, `%unit-${s}`])),
    daemonReload: () => this.answer("daemon-reload"),
    writeFile: (path) => this.answer(`write ${path}`),
    removeFile: (path) => this.answer(`remove ${path}`),
  };
}

const line = (o: ActionOutcome) => `${o.change.address} ${o.status}${o.detail ? `: ${o.detail}` : ""}`;

describe("a change goes on as soon as its own dependencies are done", () => {
  it("a create is done while an unrelated agent's stop still waits out its grace; what depends on the stop waits for it", async () => {
    const hands = new FakeHands();
    const graceOver = hands.hold("stop old (grace 30s)");
    const reported: string[] = [];
    const plan = planOf([deleted("old"), created("new", [{ kind: "tmux.launch", after: agent("new") }]), launchFile("old", "delete", ['tmux.session["old"]'])]);
    const applying = executePlan(plan, hands.effects, (o) => reported.push(line(o)));

    await settle();
    expect(hands.calls).toEqual(["stop old (grace 30s)", "launch new"]);
    expect(reported).toEqual(['tmux.session["new"] done']);

    graceOver();
    const outcomes = await applying;
    expect(hands.calls).toEqual(["stop old (grace 30s)", "launch new", "remove /state/fleet/old.launch"]);
    expect(outcomes.map(line)).toEqual(['tmux.session["new"] done', 'tmux.session["old"] done', 'file.launch["old"] done']);
    expect(reported).toEqual(outcomes.map(line));
  });

  it("units freed at the same moment start in one systemctl call; a unit freed later starts in a call of its own", async () => {
    const hands = new FakeHands();
    const graceOver = hands.hold("stop old (grace 30s)");
    // a waits for its launch file, b for systemd to re-read the units (calls of their own that end in one turn); c for an agent's stop.
    const plan = planOf([
      launchFile("a", "create"),
      reload(),
      deleted("old"),
      startedByUnit("a", ['file.launch["a"]']),
      startedByUnit("b", [MANAGER_ADDRESS]),
      startedByUnit("c", ['tmux.session["old"]']),
    ]);
    const applying = executePlan(plan, hands.effects, () => {});

    await settle();
    expect(hands.calls.filter((c) => c.startsWith("systemctl"))).toEqual(["systemctl start mosaic-agent@a.service mosaic-agent@b.service"]);

    graceOver();
    const outcomes = await applying;
    expect(hands.calls.filter((c) => c.startsWith("systemctl"))).toEqual(["systemctl start mosaic-agent@a.service mosaic-agent@b.service", "systemctl start mosaic-agent@c.service"]);
    expect(outcomes.every((o) => o.status === "done")).toBe(true);
    expect(outcomes.find((o) => o.change.name === "c" && o.change.type === "tmux.session")?.launched?.paneId).toBe("%unit-c");
  });

  it("skips what depends on a failed change, naming it, and carries on with the rest", async () => {
    const hands = new FakeHands();
    hands.hold("stop old (grace 30s)")({ ok: false, error: "no server running" });
    const plan = planOf([deleted("old"), launchFile("old", "delete", ['tmux.session["old"]']), launchFile("new", "create")]);
    const outcomes = await executePlan(plan, hands.effects, () => {});
    expect(outcomes.map(line).sort()).toEqual([
      'file.launch["new"] done',
      'file.launch["old"] skipped: tmux.session["old"] failed',
      'tmux.session["old"] failed: SIGTERM to pane %old\'s process group, SIGKILL after 30s; tmux kill-session -t =old: no server running',
    ]);
  });
});

describe("an interrupted apply", () => {
  it("lets the step under way finish, starts nothing more, and says how far each change got", async () => {
    const hands = new FakeHands();
    const graceOver = hands.hold("stop r (grace 30s)");
    const plan = planOf([replaced("r"), launchFile("r", "create", ['tmux.session["r"]'])]);
    let interrupted = false;
    const steps: number[] = [];
    const applying = executePlan(plan, hands.effects, () => {}, { interrupted: () => interrupted, stepDone: (n) => steps.push(n) });

    await settle();
    interrupted = true;
    graceOver();
    const outcomes = await applying;
    expect(hands.calls).toEqual(["stop r (grace 30s)"]);
    expect(steps).toEqual([1]);
    expect(outcomes.map(line)).toEqual(['tmux.session["r"] skipped: interrupted after step 1 of 2', 'file.launch["r"] skipped: interrupted before it started']);
  });
});

describe("an effect that throws", () => {
  it("is a bug, not a failed step: nothing more starts, and it is thrown once the steps under way have ended", async () => {
    const hands = new FakeHands();
    const graceOver = hands.hold("stop old (grace 30s)");
    const effects: Effects = { ...hands.effects, writeFile: () => Promise.reject(new Error("a bug")) };
    const plan = planOf([deleted("old"), launchFile("new", "create"), created("new", [{ kind: "tmux.launch", after: agent("new") }], ['file.launch["new"]'])]);
    let ended = false;
    const applying = executePlan(plan, effects, () => {}).finally(() => (ended = true));
    applying.catch(() => {});

    await settle();
    expect(ended).toBe(false);
    graceOver();
    await expect(applying).rejects.toThrow("a bug");
    expect(hands.calls).toEqual(["stop old (grace 30s)"]);
  });
});
