import { Option } from "clipanion";
import { ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand } from "../reconcile-command.js";
import { requireAgents } from "../require-agents.js";

export default class AgentResetCommand extends ReconcileCommand {
  static override paths = [["agent", "reset"]];

  static override usage = ReconcileCommand.Usage({
    category: "Agents",
    description: "Replace one agent with a fresh process",
    details: "Reconciles the fleet to the roster with NAME marked for replacement: the agent is stopped and started again from the roster, applying a replacement held by `on_spec_change: hold`. Like every mosaic command that changes the fleet, it applies the whole plan: other drift in the fleet is repaired in the same apply (review it first with `mosaic fleet plan --force-replace NAME`). With `--new` it starts without its `resume_args`, so the agent begins a new conversation; later restarts resume as usual.\n\nAt a terminal it shows the plan and asks first, as `fleet apply` does (`--auto-approve` skips the question); without one (a script, cron) it goes ahead.",
    examples: [
      ["Restart canary-pi, resuming its conversation", "$0 agent reset canary-pi"],
      ["Start canary-pi on a new conversation", "$0 agent reset canary-pi --new"],
    ],
  });

  name = Option.String({ name: "NAME" });
  fresh = Option.Boolean("--new", false, { description: "Start without the roster's resume arguments (a new conversation)" });
  autoApprove = Option.Boolean("--auto-approve", false, { description: "At a terminal, replace without showing the plan and asking" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, [this.name], "agent reset");
    return this.reconcileTo(
      desired,
      { ...ROSTER_INTENT, replace: [this.name], replaceReason: "reset-requested", fresh: this.fresh ? [this.name] : [] },
      this.askAtTerminal(this.autoApprove),
    );
  }
}
