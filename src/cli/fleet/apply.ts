import { Option } from "clipanion";
import { ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand, requireAgents } from "../fleet-command.js";

export default class FleetApplyCommand extends ReconcileCommand {
  static override paths = [["fleet", "apply"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Make the fleet match the roster, after confirmation",
    details: `
      Shows the plan and asks \`Apply these actions? [y/N]\` on a terminal. Without a terminal it refuses unless \`--auto-approve\` is given. After applying, observes the fleet again and exits 1 naming anything that still differs.

      Only one apply runs at a time per tmux socket; another waits up to \`--lock-timeout\` seconds.
    `,
    examples: [
      ["Review and apply", "$0 fleet apply"],
      ["Apply without asking (scripts)", "$0 fleet apply --auto-approve"],
      ["Also replace an agent held by on_spec_change: hold", "$0 fleet apply --force-replace canary-pi"],
    ],
  });

  autoApprove = Option.Boolean("--auto-approve", false, { description: "Apply without asking for confirmation" });
  forceReplace = Option.Array("--force-replace", [], { description: "Replace this agent even if it is in sync or held (repeatable)" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, this.forceReplace, "--force-replace");
    return this.reconcileTo(desired, { ...ROSTER_INTENT, replace: this.forceReplace }, { confirm: true, autoApprove: this.autoApprove });
  }
}
