import { unitActive } from "./unit-state.js";
import type { ObservedSystemd } from "../observe/types.js";
import { HOLDER_SESSION } from "../roster/types.js";
import { unitOfSession } from "../identity/units.js";
import type { LaunchFileOwner } from "./launch-files.js";
import type { Backend, PlanStep, SessionChange } from "./types.js";
import type { SessionAfter } from "../identity/launch.js";

/** What deciding a session's tool calls needs to know beyond the change itself. */
export interface StepContext {
  readonly backend: Backend;
  readonly systemd: ObservedSystemd | null;
  /** Sessions other than the holder's run on the fleet's server now, or agent units of another fleet (they require the holder's unit). */
  readonly sessionsBesideHolder: boolean;
  /** ...and some of them stay whatever this plan does (an unmanaged one, another roster's, another fleet's). */
  readonly othersStay: boolean;
  /** The PATH an agent's unit gives it (HostFacts.agentPath under systemd). */
  readonly agentPath: string;
  /** Whose launch file a session's unit reads now (its ExecStop stops what that file names). */
  readonly launchFile: (session: string) => LaunchFileOwner;
}

/**
 * A launch mosaic makes itself under systemd gets the PATH the unit would
 * have given it (tmux hands the pane the asking client's PATH), so it runs
 * the same program a unit start would. The spec and its hash stay the
 * roster's: this only sets what tmux would otherwise take from mosaic.
 */
function asUnitWould(after: SessionAfter, ctx: StepContext): PlanStep {
  return { kind: "tmux.launch", after: after.env.PATH === undefined ? { ...after, env: { ...after.env, PATH: ctx.agentPath } } : after };
}


/**
 * The tool calls that carry out a session's change. Direct: tmux itself.
 * systemd: through the session's unit, so systemd's view and tmux's agree,
 * with two exceptions that keep agents alive. The holder's unit owns the
 * tmux server's cgroup, and stopping or restarting it kills every agent,
 * so while agents run the holder's session is replaced with tmux directly.
 * And a `--new` launch is made with tmux and then adopted by its unit, so
 * the launch file keeps the resume launch for the next boot.
 */
export function sessionSteps(c: SessionChange, ctx: StepContext): PlanStep[] {
  if (c.action === "noop" || c.held) return [];
  const stop: PlanStep | null = c.before ? { kind: "tmux.stop", session: c.name, paneId: c.before.pane?.id ?? null, graceSeconds: c.stopGraceSeconds } : null;
  if (c.action === "update") {
    const label: PlanStep = { kind: "tmux.label", after: c.after, paneId: c.before.pane?.id ?? null };
    // Its unit adopts the session only once it carries the labels start-agent-session.sh checks (spec, pane).
    const unit = unitOfSession(c.name);
    // An agent's unit is vouched for (mosaic labelled its session just now); the holder's unit runs its script, which starts nothing here.
    const start: PlanStep = c.name === HOLDER_SESSION ? { kind: "systemctl", verb: "start", unit, launches: null } : { kind: "systemctl", verb: "start", unit, launches: null, vouched: true };
    return ctx.backend === "systemd" && !unitActive(ctx.systemd, unit) ? [label, start] : [label];
  }
  if (ctx.backend === "direct") {
    if (c.action === "delete") return [stop!];
    const launch: PlanStep = { kind: "tmux.launch", after: c.after };
    return stop ? [stop, launch] : [launch];
  }

  const unit = unitOfSession(c.name);
  const active = unitActive(ctx.systemd, unit);
  const systemctl = (verb: "start" | "stop" | "restart", launches: string | null): PlanStep => ({ kind: "systemctl", verb, unit, launches });
  if (c.name === HOLDER_SESSION) return holderSteps(c, ctx, active, stop, systemctl);
  return agentSteps(c, ctx, active, stop, unit);
}

/**
 * An agent's session under systemd: mosaic does the session's work itself,
 * batched with every other agent's (one tmux call for many launches, every
 * stop's grace at once), exactly as its unit's script would, then has
 * systemd record it: the unit's start or stop, vouched for, runs no node.
 * Its unit still starts the agent at every login, and stops it at logout.
 * A unit whose launch file is another fleet's is left alone.
 */
function agentSteps(c: Exclude<SessionChange, { action: "noop" | "update" }>, ctx: StepContext, active: boolean, stop: PlanStep | null, unit: string): PlanStep[] {
  const recorded = (verb: "start" | "stop"): PlanStep => ({ kind: "systemctl", verb, unit, launches: null, vouched: true });
  const out: PlanStep[] = [];
  if (stop) out.push(stop);
  if (active && ctx.launchFile(c.name) !== "another-fleet") out.push(recorded("stop"));
  if (c.action === "delete") return out;
  out.push(asUnitWould(c.after, ctx), recorded("start"));
  return out;
}

function holderSteps(
  c: Exclude<SessionChange, { action: "noop" | "update" }>,
  ctx: StepContext,
  active: boolean,
  stop: PlanStep | null,
  systemctl: (verb: "start" | "stop" | "restart", launches: string | null) => PlanStep,
): PlanStep[] {
  if (c.action === "delete") return active && !ctx.othersStay ? stopThroughUnit(c.name, ctx, stop!, systemctl("stop", null)) : [stop!];
  // Agents (or sessions mosaic must not touch) live in the holder's cgroup: never restart it under them.
  if (active && ctx.sessionsBesideHolder) return stop ? [stop, asUnitWould(c.after, ctx)] : [asUnitWould(c.after, ctx)];
  // Stop, then start: a restart would restart every active agent unit with it (they require it), each
  // starting its session behind the plan; a stop stops them (none has a session: none runs beside the holder).
  if (active) return [systemctl("stop", null), systemctl("start", c.name)];
  return stop ? [stop, systemctl("start", c.name)] : [systemctl("start", c.name)];
}

/**
 * Stopping a session through its active unit: its ExecStop stops the
 * session its launch file names. Without one (removed by hand) it stops
 * nothing: mosaic stops the session itself first, and the unit's stop only
 * settles the unit. With another fleet's, the unit runs that fleet's
 * session: mosaic stops its own and leaves the unit alone.
 */
function stopThroughUnit(session: string, ctx: StepContext, stop: PlanStep, unitStop: PlanStep): PlanStep[] {
  const owner = ctx.launchFile(session);
  return owner === "this-fleet" ? [unitStop] : owner === "none" ? [stop, unitStop] : [stop];
}
