import { createInterface } from "node:readline/promises";
import { Option } from "clipanion";
import { TmuxClient, tmuxSocketPath } from "../adapters/tmux.js";
import { converged, reconcile, remainingDifferences } from "../apply/reconcile.js";
import { UserError } from "../errors.js";
import { frameworkPaths } from "../framework.js";
import { summarise } from "../plan/predicates.js";
import { observeFleet } from "../observe/observe.js";
import type { ObservedFleet } from "../observe/types.js";
import { plan as makePlan } from "../plan/plan.js";
import { ROSTER_INTENT, type Plan, type PlanIntent } from "../plan/types.js";
import type { DesiredFleet } from "../roster/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { renderPlanText } from "../render/plan-text.js";
import { MosaicCommand } from "./base.js";
import { parseSeconds } from "./option-values.js";

/** Commands that talk to the fleet's tmux server. */
export abstract class FleetCommand extends MosaicCommand {
  protected tmuxFor(desired: DesiredFleet): TmuxClient {
    return new TmuxClient({ socket: desired.socket, configPath: frameworkPaths.tmuxConfig, env: this.env });
  }

  /** One observation and the plan to the roster made from it: what plan and status show. */
  protected async snapshot(desired: DesiredFleet, intent: PlanIntent = ROSTER_INTENT): Promise<{ observed: ObservedFleet; plan: Plan }> {
    const observed = await observeFleet(this.tmuxFor(desired));
    return { observed, plan: makePlan(desired, observed, intent) };
  }
}

/** Commands that reconcile the fleet to a target: apply, start, stop, restart, reset. */
export abstract class ReconcileCommand extends FleetCommand {
  lockTimeout = Option.String("--lock-timeout", "60", {
    description: "Seconds to wait for another apply on the same socket to finish",
  });

  protected override checkOptions(): void {
    parseSeconds("--lock-timeout", this.lockTimeout);
  }

  /**
   * Reconcile to `intent`. `confirm`: ask on a terminal before changing
   * anything (refusing without one unless `autoApprove`), or apply directly.
   */
  protected async reconcileTo(desired: DesiredFleet, intent: PlanIntent, opts: { confirm: boolean; autoApprove: boolean }): Promise<number> {
    const timeout = parseSeconds("--lock-timeout", this.lockTimeout);
    const s = this.style;
    const ask = opts.confirm && !opts.autoApprove;
    const stdin = this.context.stdin as NodeJS.ReadStream;
    if (ask && !stdin.isTTY) {
      // Checked before the lock and the plan: a script must not hang on a prompt.
      throw new UserError("no terminal to confirm on", ["Run with --auto-approve to apply without asking, or use `mosaic fleet plan` to review first."]);
    }

    const result = await reconcile(desired, intent, {
      tmux: this.tmuxFor(desired),
      tmuxSocketPath: tmuxSocketPath(desired.socket, this.env, process.getuid?.() ?? 0),
      lockTimeoutMs: timeout * 1000,
      me: { pid: process.pid, command: `mosaic ${this.path.join(" ")}`, since: new Date().toISOString() },
      say: (t) => this.printErr(t),
      showPlan: (plan) => this.print(renderPlanText(plan, s)),
      confirm: ask ? () => this.askYesNo("\nApply these actions? Only 'yes' or 'y' applies. [y/N] ") : null,
      report: (o) => this.print(renderOutcome(o, s)),
    });

    switch (result.kind) {
      case "no-changes":
        return 0;
      case "errored":
        this.printErr(`${s.red("error:")} the plan has errors (above); nothing was changed`);
        return 1;
      case "declined":
        this.print("Apply cancelled; nothing was changed.");
        return 1;
      case "applied": {
        const sum = summarise(result.plan);
        if (converged(result)) {
          this.print(`\n${s.green("Apply complete!")} Resources: ${sum.add} added, ${sum.change} changed, ${sum.destroy} destroyed. Verified: ${intent.target === "stopped" ? "the fleet is stopped" : "the fleet matches the roster"}.`);
          return 0;
        }
        this.printErr(`\n${s.red("error:")} the fleet did not converge; still different:`);
        for (const line of remainingDifferences(result)) this.printErr(`  ${line}`);
        return 1;
      }
    }
  }

  /**
   * Only "y" or "yes" is a yes. Ctrl+C and Ctrl+D (or the end of input) are
   * a cancel: a "no", never an error. On a terminal readline reads Ctrl+C as
   * a key and emits 'SIGINT', and closes on Ctrl+D; left alone, it rejects
   * the question with an AbortError ("Aborted with Ctrl+C"), which reached
   * the user as "error: unexpected".
   */
  private async askYesNo(question: string): Promise<boolean> {
    const rl = createInterface({ input: this.context.stdin, output: this.stdout });
    const cancel = new AbortController();
    rl.once("SIGINT", () => cancel.abort());
    rl.once("close", () => cancel.abort());
    try {
      const answer = (await rl.question(question, { signal: cancel.signal })).trim().toLowerCase();
      return answer === "y" || answer === "yes";
    } catch (err) {
      if (!cancel.signal.aborted && !(err instanceof Error && err.name === "AbortError")) throw err;
      return false; // readline ended the prompt's line when it cancelled the question
    } finally {
      rl.close();
    }
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
