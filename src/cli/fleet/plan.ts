import { Option } from "clipanion";
import { hasChanges, hasErrors } from "../../plan/predicates.js";
import { ROSTER_INTENT } from "../../plan/types.js";
import { planJson } from "../../render/plan-json.js";
import { renderPlanText } from "../../render/plan-text.js";
import { FleetCommand, requireAgents } from "../fleet-command.js";

export default class FleetPlanCommand extends FleetCommand {
  static override paths = [["fleet", "plan"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Show what apply would change, changing nothing",
    details: `
      Compares the roster with the tmux sessions on the fleet's socket and prints the actions that would make them match, each with its reason.

      Exit codes: 0 success (with \`--detailed-exitcode\`: 0 no changes, 2 changes present), 1 error. A drift check can run \`mosaic fleet plan --detailed-exitcode\` from cron.
    `,
    examples: [
      ["Review the plan", "$0 fleet plan"],
      ["Drift check for cron or CI: exit 2 when the fleet differs", "$0 fleet plan --detailed-exitcode"],
      ["Machine-readable plan", "$0 fleet plan --json"],
      ["Plan replacing one agent even if it is in sync", "$0 fleet plan --force-replace canary-pi"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the plan as JSON (format_version 1.0)" });
  detailedExitcode = Option.Boolean("--detailed-exitcode", false, { description: "Exit 2 when there are changes, 0 when none" });
  forceReplace = Option.Array("--force-replace", [], { description: "Replace this agent even if it is in sync or held (repeatable)" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    requireAgents(desired, this.forceReplace, "--force-replace");
    const { plan: p } = await this.snapshot(desired, { ...ROSTER_INTENT, replace: this.forceReplace });
    if (this.json) this.printJson(planJson(p));
    else this.print(renderPlanText(p, this.style));
    if (hasErrors(p)) return 1;
    return this.detailedExitcode && hasChanges(p) ? 2 : 0;
  }
}
