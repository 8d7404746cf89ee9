import { Option } from "clipanion";
import { ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand } from "../reconcile-command.js";
import { requireAgents } from "../require-agents.js";

export default class FleetRestartCommand extends ReconcileCommand {
  static override paths = [["fleet", "restart"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Replace running agents with fresh processes",
    details: "Reconciles to the roster with every enabled agent (or those named with `--agent`) marked for replacement; other drift in the fleet is repaired in the same apply (review it first with `mosaic fleet plan --force-replace NAME`). Agents resume their conversation through their `resume_args`. The holder session is not restarted.\n\nAt a terminal it shows the plan and asks first, as `fleet apply` does (`--auto-approve` skips the question); without one (a script, cron) it goes ahead.",
    examples: [
      ["Restart every agent", "$0 fleet restart"],
      ["Restart two agents", "$0 fleet restart --agent canary-pi --agent canary-claude"],
    ],
  });

  agents = Option.Array("--agent", [], { description: "Restart only this agent (repeatable)" });
  autoApprove = Option.Boolean("--auto-approve", false, { description: "At a terminal, restart without showing the plan and asking" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, this.agents, "--agent");
    const names = this.agents.length > 0 ? this.agents : desired.agents.filter((a) => a.enabled).map((a) => a.name);
    return this.reconcileTo(desired, { ...ROSTER_INTENT, replace: names, replaceReason: "restart-requested" }, this.askAtTerminal(this.autoApprove));
  }
}
