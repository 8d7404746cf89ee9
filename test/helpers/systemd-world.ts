import { launchFileContent, readLaunchFile as readLaunch } from "../../src/identity/launch-file.js";
import { formatSessionLabel, parseSessionLabel, type ReadLabels } from "../../src/identity/session-label.js";
import type { BatchResult, EffectResult, Effects } from "../../src/apply/effects.js";
import { executePlan } from "../../src/apply/execute.js";
import { HEALTHY_HOST } from "../../src/observe/host-types.js";
import type { ObservedUnit } from "../../src/observe/parse-units.js";
import type { ObservedFile, ObservedFleet, ObservedSession } from "../../src/observe/types.js";
import { launchFileName, launchFilePath, LAUNCH_FILE_MODE, ofThisFleet } from "../../src/plan/launch-files.js";
import { ofAnotherRoster } from "../../src/plan/ownership.js";
import { plan } from "../../src/plan/plan.js";
import { hasErrors, isApplied } from "../../src/plan/predicates.js";
import { NO_INSTALL_SETTINGS, type PlanSettings } from "../../src/plan/settings.js";
import type { ProductFile } from "../../src/layout.js";
import { ROSTER_INTENT, STOP_INTENT, type Plan, type PlanIntent, type UnitVerb } from "../../src/plan/types.js";
import type { SessionAfter } from "../../src/identity/launch.js";
import { normaliseRoster } from "../../src/roster/normalise.js";
import { HOLDER_SESSION, type AgentSpec, type DesiredFleet } from "../../src/roster/types.js";
import { HOLDER_SPEC_HASH } from "../../src/identity/holder.js";
import { agentSession, holderSession, sessionLaunch } from "../../src/identity/launch.js";
import { agentOfUnit, HOLDER_UNIT, unitOfSession } from "../../src/identity/units.js";
import { NAMES, OTHER, OWN, prng, randomRoster, randomSessions, ROSTER_PATH, type Prng } from "./generated-worlds.js";

/**
 * Generated worlds for the systemd backend, and a simulator that works at
 * the level of tool calls: the executor itself runs each plan (its rounds,
 * its batching of systemctl steps), and every step it takes changes a
 * model of tmux, the user manager and the files as the real ones would,
 * down to what the units' ExecStart and ExecStop scripts do and refuse to
 * do (framework/tools/fleet). Used by the planner's systemd property tests.
 */

export const layout = NO_INSTALL_SETTINGS.layout;
const OTHER_SOCKET = "elsewhere";

/** Small stand-ins for the product files (the units' bytes are not what is modelled here). */
const PRODUCT: readonly ProductFile[] = [
  { type: "file.unit", name: "mosaic-tmux-holder.service", path: `${layout.unitDir}/mosaic-tmux-holder.service`, content: "[Service]\nType=oneshot\nExecStart=%h/start _holder\n", mode: 0o644 },
  { type: "file.unit", name: "mosaic-agent@.service", path: `${layout.unitDir}/mosaic-agent@.service`, content: "[Service]\nType=oneshot\nExecStart=%h/start %i\n", mode: 0o644 },
  { type: "file.tool", name: "fleet/start-agent-session.sh", path: `${layout.toolsDir}/fleet/start-agent-session.sh`, content: "#!/bin/sh\n", mode: 0o755 },
];

// ---------------------------------------------------------------------------
// The world model

export interface World {
  readonly socket: string;
  readonly sessions: Map<string, ObservedSession>;
  /** null: no user manager answers. */
  readonly units: Map<string, ObservedUnit> | null;
  readonly files: Map<string, ObservedFile>;
  /** The manager has read the installed unit files (else every fleet unit is not-found until a daemon-reload). */
  loaded: boolean;
  /** The cgroup the fleet's tmux server lives in: the unit whose ExecStart started it, "mosaic" when mosaic's own tmux call did, null with no server. */
  server: string | null;
  /** Sessions of another fleet (another socket), "socket/name", by the unit whose cgroup holds that fleet's server. */
  readonly elsewhere: Map<string, string>;
  nextPane: number;
}

function cloneWorld(w: World): World {
  return { ...w, sessions: new Map(w.sessions), units: w.units && new Map(w.units), files: new Map(w.files), elsewhere: new Map(w.elsewhere) };
}

export function unitOf(w: World, name: string): ObservedUnit {
  return (
    w.units?.get(name) ?? {
      name,
      loadState: w.loaded ? "loaded" : "not-found",
      activeState: "inactive",
      subState: "dead",
      unitFileState: w.loaded ? "disabled" : "",
      result: "success",
      needDaemonReload: false,
    }
  );
}

function setUnit(w: World, name: string, change: Partial<ObservedUnit>): void {
  w.units!.set(name, { ...unitOf(w, name), ...change });
}

export function isActive(w: World, unit: string): boolean {
  return ["active", "activating", "reloading"].includes(unitOf(w, unit).activeState);
}

/**
 * The world as observe() reports it. Its one `systemctl show` names the
 * holder's unit and the unit of every roster agent, managed session and
 * launch file, so each of those has a block even when the manager never
 * loaded it; a glob adds every other loaded instance.
 */
export function observedOf(w: World, host: ObservedFleet["host"], desired: DesiredFleet): ObservedFleet {
  const sessions = [...w.sessions.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  const named = new Set([HOLDER_SESSION, ...desired.agents.map((a) => a.name), ...sessions.filter((s) => s.managed).map((s) => s.name)]);
  for (const path of w.files.keys()) {
    const name = launchFileName(layout, path);
    if (name !== null) named.add(name);
  }
  const units = w.units && new Map([...w.units, ...[...named].map((n) => [unitOfSession(n), unitOf(w, unitOfSession(n))] as const)]);
  return {
    socket: w.socket,
    serverRunning: sessions.length > 0,
    serverVersion: "3.3a",
    sessions,
    unreadable: [],
    globalLabels: [],
    host,
    systemd: units && { units: Object.fromEntries([...units].sort(([a], [b]) => (a < b ? -1 : 1))) },
    files: Object.fromEntries([...w.files].sort(([a], [b]) => (a < b ? -1 : 1))),
    installRecord: {},
  };
}

/** A launch file's facts, as the units' session tool reads them, or null when it is not one. */
function readLaunchFile(f: ObservedFile | undefined): { socket: string; name: string; spec: string; labels: ReadLabels } | null {
  if (f?.kind !== "file") return null;
  const read = readLaunch(f.content);
  if (!read.ok || !("launch" in read.file.start)) return null;
  // The labels the session will carry once tmux fills in its pane id.
  const labels = parseSessionLabel(formatSessionLabel(read.file.start.launch.labels, "%0"));
  return { socket: read.file.socket, name: read.file.session, spec: read.file.spec, labels };
}

function sessionOfUnit(unit: string): string {
  return agentOfUnit(unit) ?? HOLDER_SESSION;
}

/**
 * The executor's hands on the model. Whatever the real tools would refuse,
 * or anything that hits what the plan must leave alone, is a violation.
 */
function simEffects(w: World, staying: (session: string) => boolean, violations: string[]): Effects {
  const newPane = () => {
    const n = w.nextPane++;
    return { id: `%${n}`, pid: n, dead: false, deadStatus: null, deadSignal: null, currentCommand: "x" };
  };
  const addSession = (s: ObservedSession, by: string) => {
    if (w.sessions.size === 0) w.server = by;
    w.sessions.set(s.name, s);
  };
  const removeSession = (name: string) => {
    w.sessions.delete(name);
    if (w.sessions.size === 0) w.server = null;
  };

  /** start-agent-session.sh NAME, as the unit's ExecStart. */
  const execStart = (unit: string): string | null => {
    const name = sessionOfUnit(unit);
    const launch = readLaunchFile(w.files.get(launchFilePath(layout, name)));
    if (launch === null) return "no launch file";
    if (launch.name !== name) return `the launch file launches ${launch.name}`;
    if (launch.socket !== w.socket) {
      violations.push(`${unit} started ${name} on another fleet's socket "${launch.socket}"`);
      w.elsewhere.set(`${launch.socket}/${name}`, unit);
      return null;
    }
    const now = w.sessions.get(name);
    if (now) {
      if (!now.managed) return "a session of that name was not made by mosaic";
      if (now.specHash !== launch.spec) return "the session runs another spec";
      if (now.pane === null || !now.paneRecorded || now.pane.dead) return "the session has no live agent pane";
      return null; // adopted as it runs
    }
    addSession(
      {
        name,
        managed: launch.labels.managed,
        specHash: launch.labels.spec,
        specFields: launch.labels.specFields,
        launch: launch.labels.launch === "new" ? "new" : "resume",
        createdAt: 2,
        pane: newPane(),
        paneRecorded: true,
        paneCount: 1,
        rosterId: launch.labels.roster,
      },
      unit,
    );
    return null;
  };

  /** stop-agent-session.sh NAME, as the unit's ExecStop; then systemd kills what is left in the unit's cgroup. */
  const execStop = (unit: string): string | null => {
    const name = sessionOfUnit(unit);
    const file = w.files.get(launchFilePath(layout, name));
    let refused: string | null = null;
    if (file !== undefined) {
      const launch = readLaunchFile(file);
      if (launch === null || launch.name !== name) refused = "not a launch file of this session";
      else if (launch.socket !== w.socket) {
        if (w.elsewhere.delete(`${launch.socket}/${name}`)) violations.push(`${unit}'s ExecStop stopped session ${name} of another fleet on socket "${launch.socket}"`);
      } else {
        const now = w.sessions.get(name);
        if (now && !now.managed) refused = "a session of that name was not made by mosaic";
        else if (now) removeSession(name);
      }
    }
    if (w.server === unit) {
      for (const s of [...w.sessions.keys()]) {
        if (s !== name && staying(s)) violations.push(`(e) stopping ${unit} ended session ${s}, which the plan keeps: the tmux server was in its cgroup`);
      }
      w.sessions.clear();
      w.server = null;
    }
    for (const [key, owner] of w.elsewhere) {
      if (owner !== unit) continue;
      violations.push(`stopping ${unit} ended ${key}: another fleet's tmux server was in its cgroup`);
      w.elsewhere.delete(key);
    }
    return refused;
  };

  const startUnit = (unit: string, failed: string[], why: string, recorded = false) => {
    const u = unitOf(w, unit);
    if (u.loadState !== "loaded") {
      violations.push(`${why}: ${unit} is not loaded`);
      failed.push(unit);
      return false;
    }
    if (isActive(w, unit)) return true; // a start of an active unit runs nothing
    const refused = recorded ? null : execStart(unit);
    if (refused !== null) {
      violations.push(`${why}: ${unit} failed: ${refused}`);
      setUnit(w, unit, { activeState: "failed", subState: "failed", result: "exit-code" });
      failed.push(unit);
      return false;
    }
    setUnit(w, unit, { activeState: "active", subState: "exited", result: "success" });
    return true;
  };

  const stopUnit = (unit: string, failed: string[], why: string, recorded = false) => {
    if (unitOf(w, unit).loadState !== "loaded") {
      violations.push(`${why}: ${unit} is not loaded`);
      failed.push(unit);
      return;
    }
    if (!isActive(w, unit)) return;
    const refused = recorded ? null : execStop(unit);
    if (refused !== null) violations.push(`${why}: ${unit}'s ExecStop refused: ${refused}`);
    // `systemctl stop` succeeds even when ExecStop fails; the unit is left failed.
    setUnit(w, unit, refused === null ? { activeState: "inactive", subState: "dead" } : { activeState: "failed", subState: "failed", result: "exit-code" });
  };

  /** Agents' units that are active: they Require= the holder, so they stop (and restart) with it. */
  const activeAgents = () => [...(w.units?.keys() ?? [])].filter((u) => u !== HOLDER_UNIT && isActive(w, u));

  /** The holder's unit goes down: nothing the plan keeps may be on the server (property e). */
  const holderGoesDown = (verb: UnitVerb) => {
    if (!isActive(w, HOLDER_UNIT)) return;
    const kept = [...w.sessions.keys()].filter((s) => s !== HOLDER_SESSION && staying(s));
    if (kept.length > 0) violations.push(`(e) systemctl ${verb} ${HOLDER_UNIT} while ${kept.join(", ")} run and stay`);
  };

  return {
    async launchSessions(afters: readonly SessionAfter[]): Promise<ReadonlyMap<string, EffectResult>> {
      const results = new Map<string, EffectResult>();
      for (const after of afters) {
        if (w.sessions.has(after.name)) {
          violations.push(`tmux new-session ${after.name}: a session of that name exists`);
          results.set(after.name, { ok: false, error: "duplicate session" });
          continue;
        }
        const pane = newPane();
        addSession({ name: after.name, managed: true, specHash: after.specHash, specFields: after.specFields, launch: after.launch, createdAt: 2, pane, paneRecorded: true, paneCount: 1, rosterId: after.rosterId }, "mosaic");
        results.set(after.name, { ok: true, paneId: pane.id });
      }
      return results;
    },
    async label(after: SessionAfter, paneId: string | null): Promise<EffectResult> {
      const s = w.sessions.get(after.name);
      if (!s) {
        violations.push(`tmux set-option on ${after.name}: no such session`);
        return { ok: false, error: "no session" };
      }
      w.sessions.set(after.name, { ...s, specHash: after.specHash, specFields: after.specFields, launch: after.launch, rosterId: after.rosterId, paneRecorded: paneId !== null || s.paneRecorded });
      return { ok: true };
    },
    async stopSessions(stops): Promise<ReadonlyMap<string, EffectResult>> {
      for (const { session } of stops) removeSession(session);
      return new Map(stops.map((s) => [s.session, { ok: true }]));
    },
    async systemctl(verb: UnitVerb, units: readonly string[], vouched: readonly string[] = []): Promise<BatchResult> {
      const failed: string[] = [];
      // A vouched unit's script finds mosaic's receipt and only records what mosaic did (exec-tool.sh, `vouched`).
      const recorded = new Set(vouched);
      const why = `systemctl ${verb} ${units.join(" ")}`;
      if (w.units === null) {
        violations.push(`${why}: no user manager`);
        return { ok: false, failed: [...units], error: "no manager" };
      }
      const agents = units.filter((u) => u !== HOLDER_UNIT);
      const withHolder = units.includes(HOLDER_UNIT);
      if (verb === "enable" || verb === "disable") {
        for (const u of units) setUnit(w, u, { unitFileState: verb === "enable" ? "enabled" : "disabled" });
      } else if (verb === "start") {
        // One transaction: the holder first (agents Require= it and start After= it).
        const holderUp = withHolder || agents.length > 0 ? startUnit(HOLDER_UNIT, withHolder ? failed : [], why) : true;
        for (const u of agents) {
          if (holderUp) startUnit(u, failed, why, recorded.has(u));
          else failed.push(u);
        }
      } else if (verb === "stop") {
        if (withHolder) holderGoesDown(verb);
        for (const u of [...new Set([...agents, ...(withHolder ? activeAgents() : [])])]) stopUnit(u, failed, why, recorded.has(u));
        if (withHolder) stopUnit(HOLDER_UNIT, failed, why);
      } else {
        // restart: stops first (agents, then the holder), then starts (the holder, then agents).
        // A restart of the holder restarts the active agents that require it.
        if (withHolder) holderGoesDown(verb);
        const restarted = [...new Set([...agents, ...(withHolder && isActive(w, HOLDER_UNIT) ? activeAgents() : [])])];
        for (const u of restarted) stopUnit(u, failed, why);
        if (withHolder) stopUnit(HOLDER_UNIT, failed, why);
        const holderUp = startUnit(HOLDER_UNIT, withHolder ? failed : [], why);
        for (const u of restarted) {
          if (holderUp) startUnit(u, failed, why);
          else failed.push(u);
        }
      }
      const bad = [...new Set(failed)];
      return bad.length === 0 ? { ok: true } : { ok: false, failed: bad, error: `failed: ${bad.join(", ")}` };
    },
    async daemonReload(): Promise<EffectResult> {
      w.loaded = true;
      for (const [name, u] of w.units ?? []) w.units!.set(name, { ...u, loadState: "loaded", unitFileState: u.unitFileState || "disabled", needDaemonReload: false });
      return { ok: true };
    },
    async writeFile(path: string, content: string, mode: number): Promise<EffectResult> {
      w.files.set(path, { kind: "file", content, mode });
      return { ok: true };
    },
    async removeFile(path: string): Promise<EffectResult> {
      w.files.delete(path);
      return { ok: true };
    },
    async panesOf(sessions: readonly string[]): Promise<ReadonlyMap<string, string>> {
      return new Map(sessions.flatMap((n) => {
        const s = w.sessions.get(n);
        return s?.pane && s.paneRecorded ? [[n, s.pane.id] as const] : [];
      }));
    },
  };
}

// ---------------------------------------------------------------------------
// Generated worlds

export interface Case {
  readonly seed: number;
  readonly desired: DesiredFleet;
  readonly world: World;
  readonly host: ObservedFleet["host"];
  readonly intent: PlanIntent;
  readonly settings: PlanSettings;
}

/** Every name's agent as some roster of ours could have had it: what a launch file of ours for a name not in the roster holds. */
const UNIVERSE = normaliseRoster({ agents: NAMES.filter((n) => n !== HOLDER_SESSION).map((name) => ({ name, command: "pi", args: ["--old"] })) }, { rosterPath: ROSTER_PATH, home: "/h" });

type LaunchState = "missing" | "current" | "stale" | "other-fleet" | "other-roster";

function launchContent(desired: DesiredFleet, name: string, state: Exclude<LaunchState, "missing">): string {
  const agent: AgentSpec | undefined = desired.agents.find((a) => a.name === name && a.enabled) ?? UNIVERSE.agents.find((a) => a.name === name);
  const after = name === HOLDER_SESSION ? holderSession(desired.defaults.stopGraceSeconds) : agentSession(agent!, desired.socket, false, state === "other-roster" ? OTHER : OWN);
  const socket = state === "other-fleet" ? OTHER_SOCKET : desired.socket;
  return launchFileContent(sessionLaunch(state === "stale" ? { ...after, argv: ["old"] } : after), socket, layout.tmuxConfig);
}

function randomUnit(r: Prng, name: string, sessionRuns: boolean): ObservedUnit {
  const activeState = r.chance(0.5) ? (sessionRuns ? "active" : "inactive") : r.pick(["active", "inactive", "failed"]);
  return {
    name,
    loadState: "loaded",
    activeState,
    subState: activeState === "active" ? "exited" : activeState === "failed" ? "failed" : "dead",
    unitFileState: r.pick(["enabled", "enabled", "disabled"]),
    result: activeState === "failed" ? "exit-code" : "success",
    needDaemonReload: r.chance(0.1),
  };
}

export function randomCase(seed: number): Case {
  const r = prng(seed);
  const desired = randomRoster(r);
  // Half the worlds keep every session the generator makes; in the other half no session or launch
  // file of another owner holds a name the roster runs (a plan error that would leave the world unapplied).
  const tidy = r.chance(0.5);
  const sessions = randomSessions(r, desired).filter((s) => !tidy || s.name === HOLDER_SESSION || (s.managed && !ofAnotherRoster(s, OWN)) || !desired.agents.some((a) => a.name === s.name && a.enabled));
  const callerPaneId = r.chance(0.3) ? `%${Math.floor(r.chance(0.5) ? 0 : 3)}` : null;
  const enabled = desired.agents.filter((a) => a.enabled).map((a) => a.name);
  const replace = enabled.filter(() => r.chance(0.2));
  const fresh = replace.filter(() => r.chance(0.3));
  const intent: PlanIntent = r.chance(0.25) ? STOP_INTENT : { ...ROSTER_INTENT, replace, fresh, replaceReason: fresh.length > 0 ? "reset-requested" : "restart-requested" };

  // Product files: installed (now and then an older version), rarely not at all.
  const files = new Map<string, ObservedFile>();
  const installed = r.chance(0.92);
  for (const f of installed ? PRODUCT : []) files.set(f.path, { kind: "file", content: r.chance(0.1) ? `${f.content}# older\n` : f.content, mode: f.mode });
  // Launch files: current, stale, missing, another fleet's (socket) or another roster's (same socket).
  const launchStates = new Map<string, LaunchState>();
  for (const name of NAMES) {
    const wanted = name === HOLDER_SESSION || desired.agents.some((a) => a.name === name && a.enabled);
    const state = r.pick<LaunchState>(["missing", "missing", "current", "current", "current", "stale", "stale", ...(tidy && wanted ? [] : ["other-fleet" as const, name === HOLDER_SESSION ? ("current" as const) : ("other-roster" as const)])]);
    launchStates.set(name, state);
    if (state !== "missing") files.set(launchFilePath(layout, name), { kind: "file", content: launchContent(desired, name, state), mode: LAUNCH_FILE_MODE });
  }

  // The user manager: sometimes absent, sometimes yet to read the unit files, else units in any state.
  const manager = r.chance(0.95);
  const loaded = !installed || r.chance(0.9);
  let units: Map<string, ObservedUnit> | null = null;
  if (manager) {
    units = new Map();
    for (const name of NAMES) {
      if (!r.chance(0.8)) continue;
      const unit = unitOfSession(name);
      units.set(unit, loaded ? randomUnit(r, unit, sessions.some((s) => s.name === name && s.managed)) : { name: unit, loadState: "not-found", activeState: "inactive", subState: "dead", unitFileState: "", result: "success", needDaemonReload: false });
    }
  }
  const world: World = { socket: desired.socket, sessions: new Map(sessions.map((s) => [s.name, s])), units, files, loaded, server: null, elsewhere: new Map(), nextPane: 1000 };
  // Where the servers live: another fleet's, started by a unit of ours whose launch file is that fleet's; ours, in the holder's cgroup when its unit runs.
  const holderElsewhere = launchStates.get(HOLDER_SESSION) === "other-fleet" && isActive(world, HOLDER_UNIT);
  for (const name of NAMES) {
    const unit = unitOfSession(name);
    if (launchStates.get(name) === "other-fleet" && isActive(world, unit)) world.elsewhere.set(`${OTHER_SOCKET}/${name}`, holderElsewhere ? HOLDER_UNIT : unit);
  }
  if (sessions.length > 0) world.server = isActive(world, HOLDER_UNIT) && !holderElsewhere && r.chance(0.8) ? HOLDER_UNIT : "mosaic";

  const settings: PlanSettings = { ...NO_INSTALL_SETTINGS, product: PRODUCT, backend: r.pick(["auto", "systemd"] as const) };
  return { seed, desired, world, host: { ...HEALTHY_HOST, callerPaneId }, intent, settings };
}

/**
 * A world already as the roster (or a stop) wants it, built by hand rather
 * than by the simulator: the roster's sessions live with their specs
 * (launched to resume, or anew by `agent reset --new`), their units active
 * and enabled, launch files current; a held agent still runs its old spec;
 * and around it what is not this roster's: unmanaged sessions, another
 * roster's, another fleet's launch files, units in any state of names no
 * roster here knows.
 */
export function convergedCase(seed: number): Case {
  const r = prng(seed);
  const desired = randomRoster(r);
  const stop = r.chance(0.25);
  const intent = stop ? STOP_INTENT : ROSTER_INTENT;
  const sessions: ObservedSession[] = [];
  const units = new Map<string, ObservedUnit>();
  const files = new Map<string, ObservedFile>(PRODUCT.map((f) => [f.path, { kind: "file", content: f.content, mode: f.mode }]));
  let pane = 0;
  const live = (name: string, specHash: string, rosterId: string | null, managed = true, launch: "resume" | "new" = "resume"): ObservedSession => {
    const id = pane++;
    return { name, managed, specHash, specFields: null, launch, createdAt: 1, pane: { id: `%${id}`, pid: 100 + id, dead: false, deadStatus: null, deadSignal: null, currentCommand: "x" }, paneRecorded: managed, paneCount: 1, rosterId };
  };
  const unit = (name: string, active: boolean, enabled: boolean): ObservedUnit => ({ name, loadState: "loaded", activeState: active ? "active" : "inactive", subState: active ? "exited" : "dead", unitFileState: enabled ? "enabled" : "disabled", result: "success", needDaemonReload: false });
  const others = NAMES.filter((n) => n !== HOLDER_SESSION && !desired.agents.some((a) => a.name === n));
  // Not this roster's: left alone whatever it wants.
  for (const name of others) {
    const what = r.pick(["nothing", "unmanaged", "other-roster", "other-fleet", "other-fleet-running", "unit-left"] as const);
    if (what === "unmanaged") sessions.push(live(name, "v1:" + "1".repeat(64), null, false));
    if (what === "other-roster") sessions.push(live(name, UNIVERSE.agents.find((a) => a.name === name)!.specHash, OTHER));
    if (what === "other-fleet" || what === "other-fleet-running") files.set(launchFilePath(layout, name), { kind: "file", content: launchContent(desired, name, "other-fleet"), mode: LAUNCH_FILE_MODE });
    if (what === "other-fleet-running" || what === "unit-left") units.set(unitOfSession(name), unit(unitOfSession(name), what === "other-fleet-running", r.chance(0.5)));
  }
  // A stop keeps the holder for another roster's sessions; for unmanaged ones, and for another fleet's
  // running agent units (they require it), it keeps only the holder's unit up.
  const othersKeepHolder = sessions.some((s) => s.managed);
  const othersKeepUnit = sessions.length > 0 || [...units.values()].some((u) => u.activeState === "active");
  const enabledAtStop = r.chance(0.7);
  for (const agent of desired.agents) {
    const u = unitOfSession(agent.name);
    if (!agent.enabled) {
      if (r.chance(0.5)) units.set(u, unit(u, false, false));
      continue;
    }
    if (stop) {
      units.set(u, unit(u, false, enabledAtStop));
      continue;
    }
    files.set(launchFilePath(layout, agent.name), { kind: "file", content: launchContent(desired, agent.name, "current"), mode: LAUNCH_FILE_MODE });
    const held = agent.onSpecChange === "hold" && r.chance(0.3);
    sessions.push(live(agent.name, held ? "v1:" + "0".repeat(64) : agent.specHash, OWN, true, !held && r.chance(0.2) ? "new" : "resume"));
    units.set(u, unit(u, true, true));
  }
  if (!stop || othersKeepHolder) {
    sessions.push(live(HOLDER_SESSION, HOLDER_SPEC_HASH, null));
    units.set(HOLDER_UNIT, unit(HOLDER_UNIT, true, !stop || enabledAtStop));
  } else {
    units.set(HOLDER_UNIT, unit(HOLDER_UNIT, othersKeepUnit && r.chance(0.5), enabledAtStop));
  }
  if (!stop) files.set(launchFilePath(layout, HOLDER_SESSION), { kind: "file", content: launchContent(desired, HOLDER_SESSION, "current"), mode: LAUNCH_FILE_MODE });
  const world: World = { socket: desired.socket, sessions: new Map(sessions.map((s) => [s.name, s])), units, files, loaded: true, server: sessions.length > 0 ? HOLDER_UNIT : null, elsewhere: new Map(), nextPane: 1000 };
  const settings: PlanSettings = { ...NO_INSTALL_SETTINGS, product: PRODUCT, backend: r.pick(["auto", "systemd"] as const) };
  return { seed, desired, world, host: HEALTHY_HOST, intent, settings };
}

// ---------------------------------------------------------------------------
// Running a case

/**
 * What is not this roster's to touch, as the world was before the plan: a
 * session mosaic did not make or another roster made, and a unit that runs
 * another fleet's session (it is active, and its launch file, which its
 * ExecStart and ExecStop read, is that fleet's).
 */
export function foreignness(c: Case) {
  const w = c.world;
  const foreignSession = (name: string) => {
    const s = w.sessions.get(name);
    return s !== undefined && (!s.managed || ofAnotherRoster(s, OWN));
  };
  const ownerOf = (name: string) => {
    const f = w.files.get(launchFilePath(layout, name));
    return readLaunchFile(f) === null ? "none" : ofThisFleet((f as { content: string }).content, c.desired.socket, OWN) ? "this-fleet" : "another-fleet";
  };
  const theirFile = (name: string) => ownerOf(name) === "another-fleet";
  const theirUnit = (unit: string) => theirFile(sessionOfUnit(unit)) && isActive(w, unit);
  const wanted = (name: string) => c.intent.target === "roster" && (name === HOLDER_SESSION || c.desired.agents.some((a) => a.name === name && a.enabled));
  return {
    foreignSession,
    theirUnit,
    /** Writing or removing a launch file that a unit running another fleet's session reads. */
    foreignFile: (name: string) => theirUnit(unitOfSession(name)),
    /**
     * A systemctl call that touches what is not this roster's: any call on
     * a unit running another fleet's session; a start, stop or restart
     * whose script acts on a session not this roster's (it reads this
     * fleet's launch file, or the one the plan writes); enabling or
     * disabling a unit whose launch file is another fleet's, unless the
     * roster wants that name (and takes over the unit, which no longer runs).
     */
    foreignUnitCall: (verb: UnitVerb, unit: string) => {
      const name = sessionOfUnit(unit);
      if (theirUnit(unit)) return true;
      if (verb === "enable" || verb === "disable") return theirFile(name) && !wanted(name);
      return foreignSession(name) && (wanted(name) || ownerOf(name) === "this-fleet");
    },
  };
}

export interface Run {
  readonly c: Case;
  /** The world as observe() reports it, and the plan made from it. */
  readonly observed: ObservedFleet;
  readonly p: Plan;
  /** The world after the executor ran the plan's steps on the model; null when the plan has errors (never applied). */
  readonly after: World | null;
  readonly violations: readonly string[];
  readonly replan: Plan | null;
}

const targetOf = (intent: PlanIntent) => (intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT);

export async function apply(w: World, p: Plan): Promise<{ after: World; violations: string[] }> {
  const after = cloneWorld(w);
  const violations: string[] = [];
  const stopped = new Set(p.changes.filter((x) => x.type === "tmux.session" && isApplied(x) && (x.action === "delete" || x.action === "replace")).map((x) => x.name));
  const outcomes = await executePlan(p, simEffects(after, (s) => !stopped.has(s), violations), () => {});
  for (const o of outcomes) if (o.status !== "done") violations.push(`${o.change.address} ${o.status}: ${o.detail ?? ""}`);
  return { after, violations };
}

export async function run(c: Case): Promise<Run> {
  const observed = observedOf(c.world, c.host, c.desired);
  const p = plan(c.desired, observed, c.intent, c.settings);
  if (hasErrors(p)) return { c, observed, p, after: null, violations: [], replan: null };
  const { after, violations } = await apply(c.world, p);
  const replan = plan(c.desired, observedOf(after, c.host, c.desired), targetOf(c.intent), c.settings);
  return { c, observed, p, after, violations, replan };
}

export const pending = (p: Plan) => p.changes.filter(isApplied).map((x) => `${x.action} ${x.address} ${x.reason}`);

