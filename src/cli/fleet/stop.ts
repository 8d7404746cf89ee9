import { STOP_INTENT } from "../../plan/types.js";
import { ReconcileCommand } from "../fleet-command.js";

export default class FleetStopCommand extends ReconcileCommand {
  static override paths = [["fleet", "stop"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Stop every agent and the holder session",
    details: "Reconciles to a fleet with nothing running: every session mosaic made on the socket is stopped (SIGTERM to the agent's process group, then SIGKILL after its grace period), the holder last. Sessions mosaic did not make are left alone, and the default tmux server is never touched.",
    examples: [["Stop the fleet", "$0 fleet stop"]],
  });

  protected async run(): Promise<number> {
    return this.reconcileTo(await this.loadDesired(), STOP_INTENT, { confirm: false, autoApprove: true });
  }
}
