import { Option } from "clipanion";
import { MosaicCommand } from "../base.js";
import { formatArgv } from "../../render/argv.js";
import { quoteForDisplay } from "../../text/quote.js";
import { renderTable } from "../../render/table.js";
import { rosterJson } from "../../render/roster-json.js";

export default class AgentRosterCommand extends MosaicCommand {
  static override paths = [["agent", "roster"]];

  static override usage = MosaicCommand.Usage({
    category: "Agents",
    description: "List the agents the roster defines",
    details: "Reads the roster only; nothing is started or contacted. The command shown is what the agent's pane runs, resume arguments included.",
    examples: [
      ["Show the site roster's agents", "$0 agent roster"],
      ["As JSON, for scripts", "$0 agent roster --json"],
      ["Another roster file", "$0 agent roster --roster ./roster.yaml"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the agents as JSON" });

  protected async run(): Promise<number> {
    const fleet = await this.loadDesired();
    if (this.json) {
      this.printJson(rosterJson(fleet));
      return 0;
    }
    if (fleet.agents.length === 0) {
      this.print(`The roster ${fleet.rosterPath} defines no agents.`);
      return 0;
    }
    const rows = fleet.agents.map((a) => [a.name, a.enabled ? "yes" : "no", formatArgv([a.command, ...a.args, ...a.resumeArgs]), quoteForDisplay(a.cwd)]);
    this.print(renderTable(["NAME", "ENABLED", "COMMAND", "CWD"], rows));
    return 0;
  }
}
