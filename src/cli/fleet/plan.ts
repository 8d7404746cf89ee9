import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { hasChanges, hasErrors } from "../../plan/predicates.js";
import { ROSTER_INTENT, type Plan } from "../../plan/types.js";
import { planJson } from "../../render/plan-json.js";
import { driftLine } from "../../render/drift-line.js";
import { renderPlanText } from "../../render/plan-text.js";
import { FleetCommand, requireAgents } from "../fleet-command.js";

export default class FleetPlanCommand extends FleetCommand {
  static override paths = [["fleet", "plan"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Show what apply would change, changing nothing",
    details: `
      Compares the roster with the tmux sessions on the fleet's socket and prints the actions that would make them match, each with its reason.

      \`--quiet\` prints one line when the fleet has drifted (\`drift: 1 to add, 0 to change, 1 to destroy (canary-pi: missing; old-agent: not-in-roster)\`) and nothing at all when it matches: for cron, which mails any output. Errors still go to stderr. A plan takes no lock and changes nothing.

      Exit codes: 0 success (with \`--detailed-exitcode\`: 0 no changes, 2 changes present), 1 error.
    `,
    examples: [
      ["Review the plan", "$0 fleet plan"],
      ["Drift check for cron or CI: exit 2 when the fleet differs", "$0 fleet plan --detailed-exitcode"],
      ["Crontab line: one line of output, mailed, only on drift", "*/15 * * * * mosaic fleet plan --detailed-exitcode --quiet"],
      ["Machine-readable plan", "$0 fleet plan --json"],
      ["Plan replacing one agent even if it is in sync", "$0 fleet plan --force-replace canary-pi"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the plan as JSON (format_version 1.0)" });
  detailedExitcode = Option.Boolean("--detailed-exitcode", false, { description: "Exit 2 when there are changes, 0 when none" });
  quiet = Option.Boolean("--quiet,-q", false, { description: "Print one drift line, or nothing when nothing would change" });
  forceReplace = Option.Array("--force-replace", [], { description: "Replace this agent even if it is in sync or held (repeatable)" });

  protected async run(): Promise<number> {
    if (this.json && this.quiet) throw new UserError("--json and --quiet cannot be used together", ["--quiet prints one line for people and cron; --json the whole plan for scripts"]);
    const desired = await this.loadDesired();
    requireAgents(desired, this.forceReplace, "--force-replace");
    const { plan: p } = await this.snapshot(desired, { ...ROSTER_INTENT, replace: this.forceReplace });
    if (this.json) this.printJson(planJson(p));
    else if (this.quiet) this.printQuiet(p);
    else this.print(renderPlanText(p, this.style));
    if (hasErrors(p)) return 1;
    return this.detailedExitcode && hasChanges(p) ? 2 : 0;
  }

  /** The drift line on stdout; errors, which are not drift, on stderr. Warnings stay out of a cron mail. */
  private printQuiet(p: Plan): void {
    for (const d of p.diagnostics) if (d.severity === "error") this.printErr(`Error: ${d.message}`);
    const line = driftLine(planJson(p));
    if (line !== null) this.print(line);
  }
}
