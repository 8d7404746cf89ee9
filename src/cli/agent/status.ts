import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { renderStatusTable, renderUnitFailures, statusJson } from "../../render/status-text.js";
import { observationFailed } from "../../plan/predicates.js";
import { fleetStatus } from "../../status/status.js";
import { FleetCommand } from "../fleet-command.js";

export default class AgentStatusCommand extends FleetCommand {
  static override paths = [["agent", "status"]];

  static override usage = FleetCommand.Usage({
    category: "Agents",
    description: "Show the agents' sessions, or one agent's",
    details: "Like `mosaic fleet status` for the agents, or for one session by name (`_holder` included). Exits 1 if the named agent is neither in the roster nor running.",
    examples: [
      ["All agents", "$0 agent status"],
      ["One agent", "$0 agent status canary-pi"],
      ["One agent as JSON", "$0 agent status canary-pi --json"],
    ],
  });

  name = Option.String({ name: "NAME", required: false });
  json = Option.Boolean("--json", false, { description: "Print the status as JSON" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    const { observed, plan } = await this.snapshot(desired);
    const all = fleetStatus(desired, observed, plan, Math.floor(Date.now() / 1000));
    // All agents, or the one named: the holder too, if asked for by name.
    const rows = all.filter((r) => (this.name === undefined ? r.role === "agent" : r.name === this.name));
    if (this.name !== undefined && rows.length === 0) {
      throw new UserError(`no agent "${this.name}" in the roster ${desired.rosterPath} or on socket "${desired.socket}"`);
    }
    const failures = await this.unitFailures(rows, observed);
    if (this.json) this.printJson(statusJson(desired.socket, rows, failures));
    else {
      this.print(renderStatusTable(rows, this.style));
      if (failures.length > 0) this.print(`\n${renderUnitFailures(failures, this.style)}`);
    }
    // As fleet status: a report of a fleet it could not see is not one. Why goes to stderr.
    if (!observationFailed(plan)) return 0;
    for (const d of plan.diagnostics) if (d.severity === "error") this.printErr(`${this.errStyle.red("error:")} ${d.message}`);
    return 1;
  }
}
