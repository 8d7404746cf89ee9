import { Option } from "clipanion";
import { ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand, requireAgents } from "../fleet-command.js";

export default class AgentResetCommand extends ReconcileCommand {
  static override paths = [["agent", "reset"]];

  static override usage = ReconcileCommand.Usage({
    category: "Agents",
    description: "Replace one agent with a fresh process",
    details: "Stops the agent and starts it again from the roster, applying a replacement held by `on_spec_change: hold`. With `--new` it starts without its `resume_args`, so the agent begins a new conversation; later restarts resume as usual.",
    examples: [
      ["Restart canary-pi, resuming its conversation", "$0 agent reset canary-pi"],
      ["Start canary-pi on a new conversation", "$0 agent reset canary-pi --new"],
    ],
  });

  name = Option.String({ name: "NAME" });
  fresh = Option.Boolean("--new", false, { description: "Start without the roster's resume arguments (a new conversation)" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, [this.name], "agent reset");
    return this.reconcileTo(
      desired,
      { ...ROSTER_INTENT, replace: [this.name], replaceReason: "reset-requested", fresh: this.fresh ? [this.name] : [] },
      { confirm: false, autoApprove: true },
    );
  }
}
