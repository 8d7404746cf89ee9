import { Option } from "clipanion";
import { join } from "node:path";
import { spawnDetached } from "../adapters/processes.js";
import { rememberAppliedSockets, stateDir } from "../adapters/state.js";
import { tmuxSocketPath } from "../adapters/tmux.js";
import { fleetApplyLockFile } from "../adapters/lock.js";
import { installLayout } from "../layout.js";
import { fileEffects } from "../apply/file-effects.js";
import { hostEffects } from "../apply/host-effects.js";
import { systemdEffects } from "../apply/systemd-effects.js";
import { tmuxEffects } from "../apply/tmux-effects.js";
import type { ReconcileIO } from "../apply/reconcile.js";
import { UserError } from "../errors.js";
import { cliEntry } from "../framework.js";
import { rosterIdentityPath } from "../identity/roster-id.js";
import { observeFleet } from "../observe/observe-fleet.js";
import type { ObservedFleet } from "../observe/types.js";
import { plan as makePlan } from "../plan/plan.js";
import { limitedTo, ROSTER_INTENT, STOP_INTENT, type PlanIntent, type ResourceChange } from "../plan/types.js";
import type { DesiredFleet } from "../roster/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { renderPlanText } from "../render/plan-text.js";
import { paneLines } from "../message/pane-text.js";
import { faultInjection } from "./fault-injection.js";
import { parseSeconds } from "./option-values.js";
import { FleetCommand } from "./fleet-command.js";
import { lockHolder, lockTimeoutOption, reconcileWithSignals, reportReconcile } from "./run-reconcile.js";

/** Commands that reconcile the fleet to a target: apply, start, stop, restart, reset. */
export abstract class ReconcileCommand extends FleetCommand {
  lockTimeout = lockTimeoutOption("another apply on the same socket");
  detailed = Option.Boolean("--detailed", false, { description: "Show every resource of the plan (session, unit, launch file, installed file) with its tool calls and file diffs, not one line per agent" });

  protected override checkOptions(): void {
    super.checkOptions();
    parseSeconds("--lock-timeout", this.lockTimeout);
  }

  /**
   * For a command that replaces running agents (restart, reset): at a
   * terminal, show the plan and ask, as apply does, unless
   * `--auto-approve`; without one (a script, cron, the brief's runbook),
   * go ahead as asked.
   */
  protected askAtTerminal(autoApprove: boolean): { confirm: boolean; autoApprove: boolean } {
    return { confirm: (this.context.stdin as NodeJS.ReadStream).isTTY === true && !autoApprove, autoApprove: false };
  }

  /**
   * Reconcile to `intent`. `confirm`: ask on a terminal before changing
   * anything (refusing without one unless `autoApprove`), or apply directly.
   */
  protected async reconcileTo(desired: DesiredFleet, intent: PlanIntent, opts: { confirm: boolean; autoApprove: boolean; saved?: ReconcileIO<PlanIntent, ObservedFleet>["saved"] }): Promise<number> {
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
    const out = { print: (t: string) => this.print(t), printErr: (t: string) => this.printErr(t), style: s };
    const result = await reconcileWithSignals<PlanIntent, ObservedFleet>(intent, out, ({ interrupted, changing, prompt }) => ({
      lock: { file: fleetApplyLockFile(tmuxSocketPath(desired.socket, this.env, this.uid)), named: `on socket "${desired.socket}"`, timeoutMs: timeout * 1000, me: lockHolder(this.path) },
      observe: () => this.observe(desired, { launches: intent.target === "roster" }),
      plan: (observed, target) => makePlan(desired, observed, target, settings),
      verifyAgainst: limitedTo(intent.target === "stopped" ? STOP_INTENT : ROSTER_INTENT, intent.only),
      sessions: () => observeFleet(tmux),
      paneText: async (paneId) => {
        const captured = await tmux.capturePane(paneId, 200);
        return captured === null ? null : paneLines(captured, { dead: true });
      },
      effects: hostEffects(tmuxEffects(tmux), fileEffects(this.env), systemdEffects(this.systemctl, installLayout(this.env).launchDir)),
      remember: (observed) => this.remember(desired, observed),
      say: (t) => this.printErr(t),
      showPlan: (plan) => this.print(renderPlanText(plan, s, { detailed: this.detailed })),
      confirm: ask ? () => this.askYesNo("\nApply these actions? Only 'yes' or 'y' applies. [y/N] ", prompt) : null,
      report: (o) => this.print(renderOutcome(o, s)),
      handOff: (change) => this.handOff(desired, intent, change, timeout),
      ...(opts.saved ? { saved: opts.saved } : {}),
      interrupted,
      changing,
      ...faultInjection(this.env),
    }));
    return reportReconcile(result, intent, out);
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
        ? ["fleet", "stop", ...(intent.only ?? []).flatMap((a) => ["--agent", a]), ...where]
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
