import { Option } from "clipanion";
import { limitedTo, ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand } from "../reconcile-command.js";
import { requireAgents } from "../require-agents.js";

export default class FleetStartCommand extends ReconcileCommand {
  static override paths = [["fleet", "start"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Start every enabled agent in the roster (apply without a prompt)",
    details: "Reconciles the fleet to the roster: creates missing agents, replaces dead or changed ones, removes managed sessions the roster no longer has. Running it again when nothing changed does nothing.\n\nWith `--agent NAME` only that agent is reconciled (started if it is not running, replaced if it is dead or changed), with what it needs (the holder session); the rest of the fleet is left as it is, and the next `fleet plan` shows any difference there as drift.",
    examples: [
      ["Start the fleet", "$0 fleet start"],
      ["Start one agent, leaving the others as they are", "$0 fleet start --agent canary-pi"],
    ],
  });

  agents = Option.Array("--agent", [], { description: "Start only this agent (repeatable)" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, this.agents, "--agent");
    return this.reconcileTo(desired, limitedTo(ROSTER_INTENT, this.agents), { confirm: false, autoApprove: true });
  }
}
