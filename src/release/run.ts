import { runProgram, type ProgramResult } from "../adapters/exec.js";
import { makeDir, makeTempDir, removeTree } from "../adapters/fs.js";
import { waitForProcessEnd } from "../adapters/processes.js";
import { TmuxClient } from "../adapters/tmux.js";
import { frameworkPaths } from "../framework.js";
import { PREFLIGHT_STAGES, type PreflightCheck, type PreflightStage } from "./checklist.js";
import { scratchLayout, type Scratch } from "./scratch.js";
import { STAGE_BODIES, type StageContext } from "./stages.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface PreflightOptions {
  /** The package to check: the installed mosaic's folder, or a checkout. */
  readonly packageDir: string;
  /** The caller's environment: npm runs in it (its cache, its registry); mosaic never does. */
  readonly env: Env;
  readonly profile: string;
  /** A real agent to send the task to; null: the demo agent. */
  readonly agentCommand: string | null;
  readonly timeoutSeconds: number;
  readonly keep: boolean;
  readonly uid: number;
  readonly progress: (line: string) => void;
  /** Aborted, with the signal's name as its reason, when the preflight is asked to stop. */
  readonly stop: AbortSignal;
  /** For the signal tests only (cli/fault-injection.ts): awaited as each stage begins, before its work. */
  readonly beforeStage?: (stage: PreflightStage, scratch: Scratch) => Promise<void>;
}

/** What stopped the preflight, and during which stage (null: outside every stage, setting up or cleaning up). */
export interface PreflightInterruption {
  readonly signal: string;
  readonly stage: PreflightStage | null;
}

export interface PreflightReport {
  readonly checks: PreflightCheck[];
  /** Where it all happened, kept with --keep: the scratch home, prefix and tmux folder. */
  readonly scratch: {
    readonly dir: string;
    readonly home: string;
    readonly prefix: string;
    readonly tmuxTmpdir: string;
    readonly socket: string;
    readonly roster: string;
    readonly kept: boolean;
    /** What clean-up found still there after it ran (a server still running, a folder it could not remove); empty normally. */
    readonly left: string[];
  };
  /** Whether a real agent was asked (not the demo agent), which one, running what, and whether it answered. */
  readonly dogfood: { readonly real: boolean; readonly agent: string | null; readonly command: string | null; readonly answered: boolean };
  /** Stopped by SIGINT, SIGTERM or SIGHUP: the scratch fleet was cleaned up all the same (unless --keep). */
  readonly interrupted: boolean;
  readonly interruption: PreflightInterruption | null;
}

/**
 * The brief's release preflight, on a scratch socket, a scratch home, a
 * scratch TMUX_TMPDIR and a scratch npm prefix: it never touches the
 * user's fleet, roster or tmux server. Each stage runs the mosaic installed
 * from the packed package as a user would, and records what it saw. A
 * stage that fails makes the ones that need it "skip".
 *
 * When `stop` aborts, the program the stage under way runs gets a TERM,
 * no later stage starts, and the report names the stage. Whatever ends the
 * run (all stages done, a failure, an unexpected error, a signal), the
 * scratch fleet, its tmux server and the scratch folder are removed before
 * this returns, unless `keep`.
 */
export async function runPreflight(o: PreflightOptions): Promise<PreflightReport> {
  const scratch = scratchLayout(await makeTempDir("mosaic-preflight-"), process.pid, o.env);
  const tmux = new TmuxClient({ socket: scratch.socket, configPath: frameworkPaths.tmuxConfig, env: scratch.env });
  const mosaic = (args: string[], timeoutMs = 120_000, cancel?: AbortSignal): Promise<ProgramResult> =>
    runProgram([scratch.mosaicBin, ...args], { env: scratch.env, cwd: scratch.home, timeoutMs, cancel });
  const ctx: StageContext = {
    packageDir: o.packageDir,
    npmEnv: o.env,
    profile: o.profile,
    agentCommand: o.agentCommand,
    timeoutSeconds: o.timeoutSeconds,
    uid: o.uid,
    scratch,
    tmux,
    cancel: o.stop,
    mosaic: (args, timeoutMs) => mosaic(args, timeoutMs, o.stop),
    agents: [],
    dogfood: { real: o.agentCommand !== null || o.profile !== "demo", agent: null, command: o.agentCommand, answered: false },
  };
  const checks: PreflightCheck[] = [];

  // The stage under way when the signal came is the one the report names, whenever the runner notices.
  let current: PreflightStage | null = null;
  let interruption: PreflightInterruption | null = null;
  const noteStop = () => {
    if (interruption !== null) return;
    interruption = { signal: typeof o.stop.reason === "string" ? o.stop.reason : "a signal", stage: current };
    o.progress(`preflight: ${interruption.signal}${current ? ` during ${current}` : ""}: stopping; ${o.keep ? "the scratch fleet is kept (--keep)" : "removing the scratch fleet"}...`);
  };
  if (o.stop.aborted) noteStop();
  else o.stop.addEventListener("abort", noteStop, { once: true });

  let left: string[] = [];
  try {
    for (const d of [scratch.home, scratch.tmuxTmpdir, scratch.tmpdir]) await makeDir(d, 0o700);
    for (const stage of PREFLIGHT_STAGES) {
      if (o.stop.aborted) break;
      if (!stage.needs.every((n) => checks.some((c) => c.name === n && c.status === "pass"))) {
        checks.push({ name: stage.name, status: "skip", evidence: "not run: a step it needs failed" });
        continue;
      }
      current = stage.name;
      if (stage.doing !== null) o.progress(`preflight: ${stage.doing}...`);
      await o.beforeStage?.(stage.name, scratch);
      if (o.stop.aborted) break;
      const outcome = await STAGE_BODIES[stage.name](ctx);
      // A stage the signal cut short has no verdict: its programs were ended halfway.
      if (o.stop.aborted) break;
      checks.push({ name: stage.name, ...outcome });
    }
  } catch (err) {
    // An error from a stage that a signal cut short is the signal's doing, not a finding.
    if (!o.stop.aborted) checks.push({ name: "preflight", status: "fail", evidence: `stopped by an unexpected error: ${err instanceof Error ? err.message : String(err)}` });
  } finally {
    current = null;
    // Not cancelled by `stop`, and the CLI keeps catching signals until this returns: a second signal cannot cut it short.
    if (!o.keep) left = await cleanUp(checks.some((c) => c.name === "roster" && c.status === "pass"));
    o.stop.removeEventListener("abort", noteStop);
  }

  const stopped = interruption as PreflightInterruption | null;
  if (stopped !== null) {
    const where = stopped.stage === null ? "outside the stages (setting up or cleaning up)" : `during ${stopped.stage}; it and the stages after it did not run to the end`;
    checks.push({ name: "interrupted", status: "fail", evidence: `stopped by a signal (${stopped.signal}) ${where}` });
  }
  const ran = new Set<string>(checks.map((c) => c.name));
  for (const { name } of PREFLIGHT_STAGES) {
    if (ran.has(name)) continue;
    // Not reached: the run ended early, by a signal or (with none) by an unexpected error.
    const why = stopped === null ? "not run: a step it needs failed" : name === stopped.stage ? `not finished: ${stopped.signal} came during it` : "not run: interrupted";
    checks.push({ name, status: "skip", evidence: why });
  }
  const { dir, home, prefix, tmuxTmpdir, socket, roster } = scratch;
  return { checks, scratch: { dir, home, prefix, tmuxTmpdir, socket, roster, kept: o.keep, left }, dogfood: ctx.dogfood, interrupted: stopped !== null, interruption: stopped };

  /**
   * The scratch fleet's agents (through the installed mosaic, which ends
   * their process groups), its server (waited for: kill-server returns
   * before the server has gone), then the folder, which holds everything
   * else. Nothing here is cancelled by a signal. Returns what is still there.
   */
  async function cleanUp(rosterWritten: boolean): Promise<string[]> {
    const still: string[] = [];
    const server = await tmux.serverPid().catch(() => null);
    if (rosterWritten) await mosaic(["fleet", "stop", "--roster", scratch.roster]).catch(() => undefined);
    await tmux.killServer().catch(() => undefined);
    if (server !== null && !(await waitForProcessEnd(server, 10_000))) still.push(`the scratch tmux server on socket ${scratch.socket} (pid ${server}) still runs`);
    try {
      await removeTree(scratch.dir);
    } catch (err) {
      still.push(`${scratch.dir} (${err instanceof Error ? err.message : String(err)})`);
    }
    return still;
  }
}
