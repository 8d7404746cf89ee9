import { ROSTER_INTENT } from "../../plan/types.js";
import { ReconcileCommand } from "../reconcile-command.js";

export default class FleetStartCommand extends ReconcileCommand {
  static override paths = [["fleet", "start"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Start every enabled agent in the roster (apply without a prompt)",
    details: "Reconciles the fleet to the roster: creates missing agents, replaces dead or changed ones, removes managed sessions the roster no longer has. Running it again when nothing changed does nothing.",
    examples: [["Start the fleet", "$0 fleet start"]],
  });

  protected async run(): Promise<number> {
    return this.reconcileTo(await this.loadDesired(), ROSTER_INTENT, { confirm: false, autoApprove: true });
  }
}
