import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { FORMAT_VERSIONS } from "../../formats.js";
import { savePlan } from "../../plan/saved-plan.js";
import { newPlanId, planKey } from "../../adapters/plan-seal.js";
import { packageVersion } from "../package-version.js";
import { writePlanFile } from "../plan-file.js";
import { hasChanges, hasErrors } from "../../plan/predicates.js";
import { ROSTER_INTENT, type Plan } from "../../plan/types.js";
import { planJson } from "../../render/plan-json.js";
import { driftLine } from "../../render/drift-line.js";
import { renderPlanText } from "../../render/plan-text.js";
import { FleetCommand } from "../fleet-command.js";
import { requireAgents } from "../require-agents.js";

export default class FleetPlanCommand extends FleetCommand {
  static override paths = [["fleet", "plan"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Show what apply would change, changing nothing",
    details: `
      Compares the roster with the tmux sessions on the fleet's socket and prints the actions that would make them match: one line per agent (\`+ docs-reviewer  start\`, \`- old-agent  stop and remove\`, \`-/+ shop-pi  replace\`) with its reason, its other resources (unit, launch file) on one more line, and the fleet's own changes one line each. \`--detailed\` shows every resource instead, with the tool calls apply will make and each file's diff; \`--json\` has all of it.

      \`--quiet\` prints one line when the fleet has drifted (\`drift: +canary-pi -old-agent (2 agents; 1 to add, 0 to change, 1 to destroy)\`: \`+\` to start, \`-\` to stop, \`~\` to change, then the fleet's own resources, if any, by address and reason) and nothing at all when it matches: for cron, which mails any output. Errors still go to stderr. A plan takes no lock and changes nothing.

      \`--out FILE\` also saves the plan, with fingerprints of the roster and of everything observed (sessions, units, installed files), for \`mosaic fleet show FILE\` and \`mosaic fleet apply FILE\`, which applies exactly it, or refuses, naming what changed since. The file is written whole or not at all, readable by you alone (mode 0600). A plan with errors is not saved.

      Exit codes: 0 success (with \`--detailed-exitcode\`: 0 no changes, 2 changes present), 1 error.
    `,
    examples: [
      ["Review the plan", "$0 fleet plan"],
      ["Every resource, its tool calls and file diffs", "$0 fleet plan --detailed"],
      ["Drift check for cron or CI: exit 2 when the fleet differs", "$0 fleet plan --detailed-exitcode"],
      ["Crontab line: one line of output, mailed, only on drift", "*/15 * * * * mosaic fleet plan --detailed-exitcode --quiet"],
      ["Machine-readable plan", "$0 fleet plan --json"],
      ["Save the plan for review, then apply exactly it", "$0 fleet plan --out release.plan && $0 fleet show release.plan && $0 fleet apply release.plan"],
      ["Plan replacing one agent even if it is in sync", "$0 fleet plan --force-replace canary-pi"],
    ],
  });

  json = Option.Boolean("--json", false, { description: `Print the plan as JSON (format_version ${FORMAT_VERSIONS.plan})` });
  detailedExitcode = Option.Boolean("--detailed-exitcode", false, { description: "Exit 2 when there are changes, 0 when none" });
  quiet = Option.Boolean("--quiet,-q", false, { description: "Print one drift line, or nothing when nothing would change" });
  forceReplace = Option.Array("--force-replace", [], { description: "Replace this agent even if it is in sync or held (repeatable)" });
  detailed = Option.Boolean("--detailed", false, { description: "Show every resource of the plan (session, unit, launch file, installed file) with its tool calls and file diffs, not one line per agent" });
  out = Option.String("--out", { description: "Also save the plan to this file, for fleet show and fleet apply FILE" });

  protected override checkOptions(): void {
    super.checkOptions();
    // `-` names standard output in most tools: here it would be a file called "-".
    if (this.out === "-") throw new UserError("--out -: a saved plan goes to a file of its own (mode 0600), never to standard output; give it a path, such as --out release.plan", ["To read the plan as data instead: mosaic fleet plan --json"]);
  }

  protected async run(): Promise<number> {
    if (this.json && this.quiet) throw new UserError("--json and --quiet cannot be used together", ["--quiet prints one line for people and cron; --json the whole plan for scripts"]);
    const desired = await this.loadDesired();
    requireAgents(desired, this.forceReplace, "--force-replace");
    const { plan: p, observed } = await this.snapshot(desired, { ...ROSTER_INTENT, replace: this.forceReplace });
    if (this.json) this.printJson(planJson(p));
    else if (this.quiet) this.printQuiet(p);
    else this.print(renderPlanText(p, this.style, { detailed: this.detailed }));
    if (hasErrors(p)) {
      if (this.out !== undefined) this.printErr(`${this.errStyle.red("error:")} the plan has errors (above); it was not saved to ${this.out}`);
      return 1;
    }
    if (this.out !== undefined) {
      const key = planKey(this.env, { create: true })!;
      const saved = savePlan(p, desired, observed, { mosaicVersion: await packageVersion(), now: new Date(), backendChoice: this.backendChoice(desired), id: newPlanId(), key });
      const path = this.absolutePath(this.out, "--out");
      await writePlanFile(path, saved);
      if (!this.quiet && !this.json) this.print(`\nSaved the plan to ${path}. Review it with \`mosaic fleet show ${this.out}\`; apply exactly it with \`mosaic fleet apply ${this.out}\`.`);
    }
    return this.detailedExitcode && hasChanges(p) ? 2 : 0;
  }

  /** The drift line on stdout; errors, which are not drift, on stderr. Warnings stay out of a cron mail. */
  private printQuiet(p: Plan): void {
    for (const d of p.diagnostics) if (d.severity === "error") this.printErr(`Error: ${d.message}`);
    // A plan with errors says nothing about drift: the errors alone, on stderr.
    if (hasErrors(p)) return;
    const line = driftLine(planJson(p));
    if (line !== null) this.print(line);
  }
}
