import { acquireLock, type LockHolder } from "../adapters/lock.js";
import { escapeRisky } from "../text/safe-text.js";
import { sleep } from "../adapters/processes.js";
import { UserError } from "../errors.js";
import type { ObservedTmux } from "../observe/types.js";
import type { ActionOutcome, Applied, NotReady } from "../plan/outcome.js";
import { hasChanges, hasErrors, isApplied } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";
import { executePlan } from "./execute.js";
import { awaitReady, type LaunchedAgent } from "./readiness.js";
import type { Effects } from "./effects.js";
import { comparablePlan } from "../plan/saved-plan.js";

/** The apply lock: one apply at a time per target. */
export interface ApplyLock {
  /** The lock file (adapters/lock.ts): beside a fleet's tmux socket, or beside the folder the product files go to. */
  readonly file: string;
  /** The target in the user's words, after "another mosaic apply": `on socket "fleet"`. */
  readonly named: string;
  readonly timeoutMs: number;
  readonly me: LockHolder;
}

/**
 * What one reconcile needs from its command. `I` is the command's intent:
 * what to plan for (the roster with replacements asked for, every agent
 * stopped, the product files with --force, ...); `O` what it observes.
 */
export interface ReconcileIO<I, O> {
  readonly lock: ApplyLock;
  /** One snapshot of the world (tmux, systemd, files and host facts), read-only. */
  readonly observe: () => Promise<O>;
  /** Plan from one observation: the roster, the intent and the settings are the caller's. */
  readonly plan: (observed: O, intent: I) => Plan;
  /** The plain target the final observation is planned for (no one-off requests such as replacements or --force): converged means it asks for nothing. */
  readonly verifyAgainst: I;
  /** The sessions as they are now: how launched agents are awaited until ready. Absent where nothing launches agents. */
  readonly sessions?: () => Promise<ObservedTmux>;
  /** What a pane shows, as lines (scrollback included), or null when it is gone: why an agent that died did. */
  readonly paneText?: (paneId: string) => Promise<string[] | null>;
  readonly effects: Effects;
  /** Record what this apply is about to change (which socket a roster runs on, which installed files are mosaic's), before anything changes. */
  readonly remember: (observed: O, plan: Plan) => Promise<void>;
  /** Progress lines for the user. */
  readonly say: (text: string) => void;
  /** The plan, before anything happens. */
  readonly showPlan: (plan: Plan) => void;
  /** Asked only when there are changes; null applies without asking. */
  readonly confirm: ((plan: Plan) => Promise<boolean>) | null;
  readonly report: (outcome: ActionOutcome) => void;
  /**
   * Carry out a change that stops the pane this command runs in, from a
   * process outside it, once this command has ended. Returns a line for
   * the user saying where it went. Absent where no change can stop it.
   */
  readonly handOff?: (change: ResourceChange) => Promise<string>;
  /**
   * A plan reviewed earlier (`fleet apply PLANFILE`): applied as it is,
   * without asking, unless `stale` finds the world or roster changed since.
   */
  readonly saved?: {
    readonly plan: Plan;
    readonly stale: (observed: O) => readonly string[];
    /** When the plan was applied before, or null. */
    readonly appliedAt: () => string | null;
    /** Record it as applied now: false when another apply got there first. */
    readonly consume: () => boolean;
  };
  /** Whether the user asked to stop (Ctrl+C): the step under way finishes, nothing more starts. */
  readonly interrupted?: () => boolean;
  /** Told once the plan is approved, just before the first change: from then on a signal finishes the step under way. */
  readonly changing?: () => void;
  /** Told each time a step has been carried out, with how many so far (the fault tests' hook). */
  readonly stepDone?: (count: number) => void;
}

export type ReconcileResult =
  | { readonly kind: "no-changes"; readonly plan: Plan }
  | { readonly kind: "errored"; readonly plan: Plan }
  /** Not applied: the user said no, or a signal came before any change (`interrupted`; no plan when it came while waiting for the lock). */
  | { readonly kind: "declined"; readonly plan: Plan | null; readonly interrupted: boolean }
  | Applied;

/**
 * The one operation: under the target's lock, observe, plan for `intent`,
 * confirm, execute, wait until every launched agent is ready, then observe
 * again and plan for the plain target. It converged iff that second plan
 * has no changes and every action succeeded. Every command that changes
 * anything comes through here: the fleet's and the installed files' alike.
 */
export async function reconcile<I, O>(intent: I, io: ReconcileIO<I, O>): Promise<ReconcileResult> {
  const lock = await acquireLock(io.lock.file, io.lock.me, {
    timeoutMs: io.lock.timeoutMs,
    onWait: (h) => io.say(`Waiting for another mosaic apply ${io.lock.named}${h ? ` (pid ${h.pid}: ${escapeRisky(h.command)})` : ""} to finish...`),
    ...(io.interrupted ? { interrupted: io.interrupted } : {}),
  });
  if ("interrupted" in lock) return { kind: "declined", plan: null, interrupted: true };
  if ("busy" in lock) {
    const h = lock.busy;
    throw new UserError(`another mosaic apply ${io.lock.named} is still running${h ? ` (pid ${h.pid}: ${escapeRisky(h.command)}, since ${escapeRisky(h.since)})` : ""}; try again when it ends`);
  }
  let keepLock = false;
  try {
    const observed = await io.observe();
    const plan = io.saved ? checkSaved(io.saved, observed, io.plan(observed, intent)) : io.plan(observed, intent);
    io.showPlan(plan);
    if (hasErrors(plan)) return { kind: "errored", plan };
    if (!hasChanges(plan)) return { kind: "no-changes", plan };
    if (io.interrupted?.()) return { kind: "declined", plan, interrupted: true };
    if (io.confirm && !(await io.confirm(plan))) return { kind: "declined", plan, interrupted: io.interrupted?.() ?? false };
    if (io.interrupted?.()) return { kind: "declined", plan, interrupted: true };

    if (io.saved && !io.saved.consume()) throw spentPlan(io.saved.appliedAt());
    io.changing?.();
    await io.remember(observed, plan);
    const deferred = deferredAddresses(plan);
    const outcomes = await executePlan(plan, io.effects, io.report, { include: (c) => !deferred.has(c.address), ...(io.interrupted ? { interrupted: io.interrupted } : {}), ...(io.stepDone ? { stepDone: io.stepDone } : {}) });

    const launched: LaunchedAgent[] = outcomes.flatMap((o) =>
      o.launched && o.change.type === "tmux.session" && o.change.after ? [{ name: o.change.name, paneId: o.launched.paneId, at: o.launched.at, readyAfterSeconds: o.change.after.readyAfterSeconds }] : [],
    );
    const notReady = await withLastLines(await awaitLaunched(launched, io.sessions, io.interrupted), launched, io.paneText);
    // Asked to stop while the changes ran or while their agents were awaited.
    const interrupted = io.interrupted?.() ?? false;
    // Observed afresh (units and files too), once every agent was decided: the claim of success rests on it.
    const remaining = io.plan(await io.observe(), io.verifyAgainst);

    let handOffNote: string | null = null;
    const caller = plan.changes.find((c) => c.runsCaller && isApplied(c));
    if (caller && io.handOff && !interrupted && outcomes.every((o) => o.status === "done")) {
      handOffNote = await io.handOff(caller);
      keepLock = true; // the kernel frees it when this process exits; the hand-off waits for that
    }
    return { kind: "applied", plan, outcomes, notReady, remaining, handedOff: handOffNote === null ? [] : [...deferred], handOffNote, interrupted };
  } finally {
    if (!keepLock) await lock.release();
  }
}

/** Lines of a dead agent's pane shown under its "not ready", and for how many agents they are read (one tmux call each). */
const LAST_LINES = 5;
const AGENTS_READ = 5;

/** Each agent not ready, with the last lines its pane shows: what it printed before it died says why. */
async function withLastLines(notReady: readonly NotReady[], launched: readonly LaunchedAgent[], paneText: ReconcileIO<unknown, unknown>["paneText"]): Promise<readonly NotReady[]> {
  if (!paneText) return notReady;
  const panes = new Map(launched.map((l) => [l.name, l.paneId]));
  return Promise.all(
    notReady.map(async (n, i) => {
      const pane = panes.get(n.name);
      if (i >= AGENTS_READ || pane === undefined) return n;
      const lines = await paneText(pane);
      return lines === null || lines.length === 0 ? n : { ...n, lastLines: lines.slice(-LAST_LINES) };
    }),
  );
}

/** Wait until every launched agent is ready (or is not); nothing to wait for, nothing observed. */
async function awaitLaunched(launched: readonly LaunchedAgent[], sessions: (() => Promise<ObservedTmux>) | undefined, interrupted: (() => boolean) | undefined): Promise<readonly NotReady[]> {
  if (launched.length === 0) return [];
  if (!sessions) throw new Error("agents were launched, but this reconcile has no way to see their sessions");
  const { notReady } = await awaitReady(launched, sessions, { now: Date.now, sleep, ...(interrupted ? { stop: interrupted } : {}) });
  return notReady;
}

/**
 * A saved plan applies only as it was made: the roster and the world as
 * they were then, and its actions exactly those the planner gives for them
 * now. The planner is pure, so an unchanged roster and world plan the same
 * actions again; different ones mean the file was edited, and a file is
 * not trusted to say what runs, what is signalled or what is written.
 */
function checkSaved<O>(saved: NonNullable<ReconcileIO<unknown, O>["saved"]>, observed: O, fresh: Plan): Plan {
  const remake = "Make a new plan (mosaic fleet plan --out FILE), review it, and apply that.";
  const applied = saved.appliedAt();
  if (applied !== null) throw spentPlan(applied);
  const stale = saved.stale(observed);
  if (stale.length > 0) throw new UserError("the saved plan no longer matches; nothing was changed. Changed since it was made:", [...stale.map((s) => `- ${s}`), remake]);
  if (hasErrors(fresh)) return fresh;
  if (comparablePlan(fresh) !== comparablePlan(saved.plan)) {
    throw new UserError("the saved plan cannot be applied: what it says (its socket, backend, actions) is not what the roster gives this fleet now; nothing was changed", [remake]);
  }
  // What runs, and what is shown of it, is the plan made now, which the file was found to equal.
  return fresh;
}

function spentPlan(at: string | null): UserError {
  return new UserError(`the saved plan was applied already${at ? ` (${escapeRisky(at)})` : ""}: a saved plan applies once; nothing was changed`, ["Make a new plan (mosaic fleet plan --out FILE), review it, and apply that."]);
}

/** The change that stops the caller's own pane, and every change that depends on it. */
function deferredAddresses(plan: Plan): Set<string> {
  const out = new Set(plan.changes.filter((c) => c.runsCaller).map((c) => c.address));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of plan.changes) {
      if (!out.has(c.address) && c.dependsOn.some((d) => out.has(d))) {
        out.add(c.address);
        grew = true;
      }
    }
  }
  return out;
}
