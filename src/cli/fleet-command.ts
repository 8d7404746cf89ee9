import { dirname, join } from "node:path";
import { Option } from "clipanion";
import { folderOwnership, listeningWithoutFile, resolveTmuxTmpdir } from "../adapters/host.js";
import { catchingStopSignals, spawnDetached } from "../adapters/processes.js";
import { appliedSockets, rememberAppliedSockets, stateDir } from "../adapters/state.js";
import { lastJournalLines } from "../adapters/journal.js";
import { SystemctlClient } from "../adapters/systemctl.js";
import { TmuxClient, tmuxSocketPath } from "../adapters/tmux.js";
import { fileEffects } from "../apply/file-effects.js";
import { hostEffects } from "../apply/host-effects.js";
import { systemdEffects } from "../apply/systemd-effects.js";
import { tmuxEffects } from "../apply/tmux-effects.js";
import { installLayout } from "../layout.js";
import { readProductFiles } from "../observe/product.js";
import type { PlanSettings } from "../plan/settings.js";
import { reconcile, type Applied, type ReconcileIO } from "../apply/reconcile.js";
import { finishCommand, renderApplyResult } from "../render/apply-summary.js";
import { UserError } from "../errors.js";
import { cliEntry, frameworkPaths } from "../framework.js";
import { agentPane, type AgentPane } from "../message/target.js";
import { observeFleet, observeWorld, otherRosterPaths } from "../observe/observe.js";
import { ownRosterId, rosterIdentityPath } from "../spec/roster-id.js";
import type { SessionStatus, UnitFailure } from "../status/status.js";
import type { ObservedFleet } from "../observe/types.js";
import { plan as makePlan } from "../plan/plan.js";
import { lostSocketProblem, socketDirProblem } from "../plan/preflight.js";
import { ROSTER_INTENT, type Plan, type PlanIntent, type ResourceChange } from "../plan/types.js";
import type { BackendChoice, DesiredFleet } from "../roster/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { renderPlanText } from "../render/plan-text.js";
import { MosaicCommand } from "./base.js";
import { faultInjection } from "./fault-injection.js";
import { parseBackendChoice, parseSeconds, resolveBackendChoice } from "./option-values.js";

/** How many of a failed unit's last journal lines `status` shows, as `systemctl status` shows ten. */
const JOURNAL_LINES = 5;

/** Commands that talk to the fleet's tmux server: TMUX_TMPDIR resolved as tmux resolves it, one client per socket. */
export abstract class TmuxCommand extends MosaicCommand {
  private tmuxTmpdir: string | undefined;

  /** TMUX_TMPDIR must be what tmux will really use, or every socket path (and lock) would be wrong. */
  protected override async checkEnvironment(): Promise<void> {
    this.tmuxTmpdir = await resolveTmuxTmpdir(this.context.env.TMUX_TMPDIR);
  }

  /** The environment, with TMUX_TMPDIR resolved as tmux resolves it. */
  protected override get env(): Readonly<Record<string, string | undefined>> {
    return this.tmuxTmpdir === undefined ? this.context.env : { ...this.context.env, TMUX_TMPDIR: this.tmuxTmpdir };
  }

  protected tmuxFor(socket: string): TmuxClient {
    return new TmuxClient({ socket, configPath: frameworkPaths.tmuxConfig, env: this.env });
  }

  protected get uid(): number {
    return process.getuid?.() ?? 0;
  }

  /**
   * The agent's own pane, for `agent send` and `agent tail`, from one look
   * at the fleet: or a UserError saying why there is none to use (a socket
   * folder tmux refuses, another roster's session, no live pane, ...).
   */
  protected async agentTarget(desired: DesiredFleet, name: string, purpose: "send" | "tail"): Promise<AgentPane> {
    const seen = await observeFleet(this.tmuxFor(desired.socket), desired);
    const refusal = seen.serverRunning ? null : await this.socketDirRefusal(desired.socket);
    if (refusal !== null) throw new UserError(purpose === "send" ? `${refusal}; nothing was sent` : refusal);
    const found = agentPane(desired, seen, name, purpose, await otherRosterPaths(seen, ownRosterId(desired), this.env));
    if (!found.ok) throw new UserError(found.message, found.hints);
    return found.target;
  }

  /** Why tmux would refuse the socket's folder, or null: a refused socket looks like no server at all. */
  protected async socketDirRefusal(socket: string): Promise<string | null> {
    const path = tmuxSocketPath(socket, this.env, this.uid);
    const dir = dirname(path);
    const owner = await folderOwnership(dir);
    const unsafe = socketDirProblem(owner && { path: dir, ...owner }, this.uid);
    if (unsafe !== null) return unsafe;
    // No server answers: one whose socket file was removed would pass for none.
    if (await listeningWithoutFile(path)) return lostSocketProblem(path);
    return null;
  }
}

/** Commands that plan, change or report on the fleet: they may choose a backend. */
export abstract class FleetCommand extends TmuxCommand {
  backendOption = Option.String("--backend", {
    description: "How sessions start and stop in this run, instead of the roster's backend: auto (systemd once its units are installed, else direct), systemd or direct",
  });

  protected override checkOptions(): void {
    if (this.backendOption !== undefined) parseBackendChoice("--backend", this.backendOption);
  }

  /** Set by a command applying a saved plan: the backend that plan was made for. */
  protected savedBackend: BackendChoice | undefined;

  /** Who starts and stops the sessions in this run: `--backend` when given, else the roster's `backend`. */
  backendChoice(desired: DesiredFleet): BackendChoice {
    return this.savedBackend ?? resolveBackendChoice(this.backendOption, desired);
  }

  protected get systemctl(): SystemctlClient {
    return new SystemctlClient({ env: this.env });
  }

  private settingsMemo: PlanSettings | undefined;

  /** What the planner needs beyond the roster: the backend asked for, where files go, and this package's product files. */
  protected async settings(desired: DesiredFleet): Promise<PlanSettings> {
    if (!this.settingsMemo) {
      const layout = installLayout(this.env);
      this.settingsMemo = { backend: this.backendChoice(desired), layout, product: await readProductFiles(layout) };
    }
    return this.settingsMemo;
  }

  /**
   * The fleet's failed units among `rows`, each with its last journal
   * lines (one journalctl call for all of them), for `status`: a unit
   * that failed says why only there.
   */
  protected async unitFailures(rows: readonly SessionStatus[], observed: ObservedFleet): Promise<UnitFailure[]> {
    const units = rows.flatMap((r) => (r.failedUnit === null ? [] : [r.failedUnit]));
    if (units.length === 0) return [];
    const journal = await lastJournalLines(units, { env: this.env, uid: this.uid, perUnit: JOURNAL_LINES });
    return units.map((unit) => ({
      unit,
      result: observed.systemd?.units[unit]?.result ?? null,
      lines: journal.ok ? (journal.lines.get(unit) ?? []) : [],
      problem: journal.ok ? null : journal.problem,
    }));
  }

  /** One snapshot of the world; `launches`: gather what a launch depends on (not needed to stop). */
  protected async observe(desired: DesiredFleet, opts: { launches: boolean }): Promise<ObservedFleet> {
    const identity = rosterIdentityPath(desired);
    const settings = await this.settings(desired);
    return observeWorld({
      systemctl: this.systemctl,
      backend: settings.backend,
      layout: settings.layout,
      productPaths: settings.product.map((f) => f.path),
      desired,
      tmux: this.tmuxFor(desired.socket),
      tmuxFor: (socket) => this.tmuxFor(socket),
      env: this.env,
      uid: this.uid,
      configPath: frameworkPaths.tmuxConfig,
      appliedSockets: identity === null ? [] : await appliedSockets(this.env, identity),
      launches: opts.launches,
    });
  }

  /** One observation and the plan to the roster made from it: what plan and status show. */
  protected async snapshot(desired: DesiredFleet, intent: PlanIntent = ROSTER_INTENT): Promise<{ observed: ObservedFleet; plan: Plan }> {
    const observed = await this.observe(desired, { launches: intent.target === "roster" });
    return { observed, plan: makePlan(desired, observed, intent, await this.settings(desired)) };
  }
}

/** Commands that reconcile the fleet to a target: apply, start, stop, restart, reset. */
export abstract class ReconcileCommand extends FleetCommand {
  lockTimeout = Option.String("--lock-timeout", "60", {
    description: "Seconds to wait for another apply on the same socket to finish (default 60)",
  });

  protected override checkOptions(): void {
    super.checkOptions();
    parseSeconds("--lock-timeout", this.lockTimeout);
  }

  /**
   * Reconcile to `intent`. `confirm`: ask on a terminal before changing
   * anything (refusing without one unless `autoApprove`), or apply directly.
   */
  protected async reconcileTo(desired: DesiredFleet, intent: PlanIntent, opts: { confirm: boolean; autoApprove: boolean; saved?: ReconcileIO["saved"] }): Promise<number> {
    const timeout = parseSeconds("--lock-timeout", this.lockTimeout);
    const s = this.style;
    const ask = opts.confirm && !opts.autoApprove;
    const stdin = this.context.stdin as NodeJS.ReadStream;
    if (ask && !stdin.isTTY) {
      // Checked before the lock and the plan: a script must not hang on a prompt.
      throw new UserError("no terminal to confirm on", ["Run with --auto-approve to apply without asking, or use `mosaic fleet plan` to review first."]);
    }

    const settings = await this.settings(desired);
    const tmux = this.tmuxFor(desired.socket);
    // Ctrl+C, a TERM or a hangup (an ssh session gone). Before any change: the apply is cancelled
    // (the lock wait and the prompt end at once). While changes run: the step under way finishes,
    // nothing more starts, and the summary says what was done; stopping halfway through a step could
    // leave a session half made. A second signal ends it at once, as Terraform's does.
    let interrupted = false;
    let changing = false;
    const prompt = new AbortController();
    const onSignal = (count: number) => {
      if (count > 1) {
        this.printErr(`\n${s.yellow("Interrupted again:")} stopping now; run \`${finishCommand(intent)}\` to finish.`);
        process.exit(130);
      }
      interrupted = true;
      if (changing) this.printErr(`\n${s.yellow("Interrupted:")} finishing the step under way, then stopping...`);
      prompt.abort();
    };
    const result = await catchingStopSignals(onSignal, () =>
      reconcile(desired, intent, {
        tmux,
        plan: (observed, target) => makePlan(desired, observed, target, settings),
        effects: hostEffects(tmuxEffects(tmux), fileEffects(this.env), systemdEffects(this.systemctl)),
        tmuxSocketPath: tmuxSocketPath(desired.socket, this.env, this.uid),
        lockTimeoutMs: timeout * 1000,
        me: { pid: process.pid, command: `mosaic ${this.path.join(" ")}`, since: new Date().toISOString() },
        observe: () => this.observe(desired, { launches: intent.target === "roster" }),
        remember: (observed) => this.remember(desired, observed),
        say: (t) => this.printErr(t),
        showPlan: (plan) => this.print(renderPlanText(plan, s)),
        confirm: ask ? () => this.askYesNo("\nApply these actions? Only 'yes' or 'y' applies. [y/N] ", prompt.signal) : null,
        report: (o) => this.print(renderOutcome(o, s)),
        handOff: (change) => this.handOff(desired, intent, change, timeout),
        ...(opts.saved ? { saved: opts.saved } : {}),
        interrupted: () => interrupted,
        changing: () => (changing = true),
        ...faultInjection(this.env),
      }),
    );

    switch (result.kind) {
      case "no-changes":
        return 0;
      case "errored":
        this.printErr(`${s.red("error:")} the plan has errors (above); nothing was changed`);
        return 1;
      case "declined":
        this.print("Apply cancelled; nothing was changed.");
        return result.interrupted ? 130 : 1;
      case "applied": {
        const code = this.reportApplied(result, intent);
        return result.interrupted ? 130 : code;
      }
    }
  }

  private reportApplied(result: Applied, intent: PlanIntent): number {
    const r = renderApplyResult(result, intent, this.style);
    if (r.stdout !== "") this.print(r.stdout);
    if (r.stderr !== "") this.printErr(r.stderr);
    return r.ok ? 0 : 1;
  }

  /**
   * This roster now runs on its socket; sockets it used before stay
   * remembered while sessions remain there. Best effort: the memory only
   * feeds a warning, so a state folder that cannot be written never stops
   * an apply (it says so instead).
   */
  private async remember(desired: DesiredFleet, observed: ObservedFleet): Promise<void> {
    const identity = rosterIdentityPath(desired);
    if (identity === null) return;
    const still = observed.host.previousSockets.map((p) => p.socket);
    try {
      await rememberAppliedSockets(this.env, identity, [desired.socket, ...still]);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.printErr(`${this.errStyle.yellow("warning:")} could not record this apply under ${stateDir(this.env)} (${why}); a later socket change will not be warned about`);
    }
  }

  /**
   * The change that stops the agent this command runs in is carried out by
   * a new mosaic in a session of its own (outside the agent's process group
   * and terminal), which waits for this command's lock, then reconciles
   * just that agent.
   */
  private async handOff(desired: DesiredFleet, intent: PlanIntent, change: ResourceChange, timeoutSeconds: number): Promise<string> {
    const where = desired.rosterPath === null ? ["--socket", desired.socket] : ["--roster", desired.rosterPath];
    const command =
      intent.target === "stopped"
        ? ["fleet", "stop", ...where]
        : ["agent", "reset", change.name, ...(intent.fresh.includes(change.name) ? ["--new"] : []), ...where];
    const env = { ...this.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const log = join(stateDir(this.env), "handoff", `${desired.socket}.log`);
    const argv = [process.execPath, cliEntry, ...command, "--lock-timeout", String(Math.max(timeoutSeconds, 600))];
    const pid = await spawnDetached(argv, env, log);
    return `  ${change.address} runs this command, so \`mosaic ${command.join(" ")}\` (pid ${pid}) ${change.action === "delete" ? "stops" : "replaces"} it once this command ends; its output goes to ${log}`;
  }

}

/** Names given on the command line must be enabled roster agents. */
export function requireAgents(desired: DesiredFleet, names: readonly string[], flag: string): void {
  for (const name of names) {
    const agent = desired.agents.find((a) => a.name === name);
    if (!agent) {
      const known = desired.agents.map((a) => a.name).join(", ") || "(none)";
      throw new UserError(`${flag}: no agent "${name}" in the roster ${desired.rosterPath}`, [`Agents: ${known}`]);
    }
    if (!agent.enabled) throw new UserError(`${flag}: agent "${name}" is disabled in the roster (enabled: false)`);
  }
}
