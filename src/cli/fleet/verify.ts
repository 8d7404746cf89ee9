import { jsonDocument } from "../../formats.js";
import { Option } from "clipanion";
import { observeFleet } from "../../observe/observe-fleet.js";
import { renderVerify } from "../../render/status-text.js";
import { verifyFleet } from "../../status/status.js";
import { FleetCommand } from "../fleet-command.js";

export default class FleetVerifyCommand extends FleetCommand {
  static override paths = [["fleet", "verify"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Check that the holder and every enabled agent are live",
    details: "Exact-name checks on the fleet's socket (the equivalent of `tmux has-session -t =NAME` for each, in one tmux call), plus a live pane for each. Exit 0 when all pass, 1 naming each failure. This is liveness evidence; a systemd unit's `active (exited)` is not.",
    examples: [
      ["Verify the fleet", "$0 fleet verify"],
      ["As JSON, for monitoring", "$0 fleet verify --json"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the checks as JSON" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    const seen = await observeFleet(this.tmuxFor(desired.socket), desired);
    // With no server answering, why: a socket folder tmux refuses, or a server whose socket file is gone.
    const refusal = seen.serverRunning ? null : await this.socketDirRefusal(desired.socket);
    const checks = [...verifyFleet(desired, seen), ...(refusal === null ? [] : [{ name: "(socket)", ok: false, problem: refusal }])];
    const ok = checks.every((c) => c.ok);
    if (this.json) this.printJson(jsonDocument("verify", { socket: desired.socket, ok, checks }));
    else this.print(renderVerify(desired.socket, checks, this.style));
    return ok ? 0 : 1;
  }
}
