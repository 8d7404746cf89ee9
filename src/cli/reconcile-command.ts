import { join } from "node:path";
import { Option } from "clipanion";
import { catchingStopSignals, spawnDetached } from "../adapters/processes.js";
import { rememberAppliedSockets, stateDir } from "../adapters/state.js";
import { tmuxSocketPath } from "../adapters/tmux.js";
import { fileEffects } from "../apply/file-effects.js";
import { hostEffects } from "../apply/host-effects.js";
import { systemdEffects } from "../apply/systemd-effects.js";
import { tmuxEffects } from "../apply/tmux-effects.js";
import { reconcile, type ReconcileIO } from "../apply/reconcile.js";
import type { Applied } from "../plan/outcome.js";
import { finishCommand, renderApplyResult } from "../render/apply-summary.js";
import { UserError } from "../errors.js";
import { cliEntry } from "../framework.js";
import { rosterIdentityPath } from "../identity/roster-id.js";
import type { ObservedFleet } from "../observe/types.js";
import { plan as makePlan } from "../plan/plan.js";
import { type PlanIntent, type ResourceChange } from "../plan/types.js";
import type { DesiredFleet } from "../roster/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { renderPlanText } from "../render/plan-text.js";
import { faultInjection } from "./fault-injection.js";
import { parseSeconds } from "./option-values.js";
import { FleetCommand } from "./fleet-command.js";

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
