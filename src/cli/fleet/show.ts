import { Option } from "clipanion";
import { planJson } from "../../render/plan-json.js";
import { renderPlanText } from "../../render/plan-text.js";
import { quoteForDisplay } from "../../text/quote.js";
import { escapeRisky } from "../../text/safe-text.js";
import { planAppliedAt } from "../../adapters/plan-seal.js";
import { MosaicCommand } from "../base.js";
import { readPlanFile } from "../plan-file.js";

export default class FleetShowCommand extends MosaicCommand {
  static override paths = [["fleet", "show"]];

  static override usage = MosaicCommand.Usage({
    category: "Fleet",
    description: "Show a plan saved by fleet plan --out, changing nothing",
    details: `
      Renders the saved plan as \`mosaic fleet plan\` showed it when it was made, after a line saying when, from which roster, and on which socket. It reads only the file: the fleet is not looked at, so it says nothing about whether the plan still applies (\`mosaic fleet apply PLANFILE\` checks that, and refuses if not).

      \`--json\` prints the plan document (the same as \`mosaic fleet plan --json\`) with a \`saved\` object: when, by which mosaic, from which roster, and the fingerprints apply will compare.
    `,
    examples: [
      ["Review a saved plan", "$0 fleet show release.plan"],
      ["As JSON, for a release check", "$0 fleet show release.plan --json"],
    ],
  });

  planFile = Option.String({ required: true, name: "PLANFILE" });
  json = Option.Boolean("--json", false, { description: "Print the saved plan as JSON" });
  detailed = Option.Boolean("--detailed", false, { description: "Show every resource of the plan (session, unit, launch file, installed file) with its tool calls and file diffs, not one line per agent" });

  protected async run(): Promise<number> {
    const saved = await readPlanFile(this.absolutePath(this.planFile, "PLANFILE"), this.env);
    if (this.json) {
      const meta = { format_version: saved.format_version, id: saved.id, mosaic_version: saved.mosaic_version, created_at: saved.created_at, roster: saved.roster, backend_choice: saved.backend_choice, observed_fingerprint: saved.observed.fingerprint, applied_at: planAppliedAt(this.env, saved.id) };
      this.printJson({ ...planJson(saved.plan), saved: meta });
      return 0;
    }
    const applied = planAppliedAt(this.env, saved.id);
    this.print(`Saved plan: made ${escapeRisky(saved.created_at)} by mosaic ${escapeRisky(saved.mosaic_version)} from the roster ${quoteForDisplay(saved.roster.path)}, socket "${escapeRisky(saved.plan.socket)}".${applied ? ` Applied already (${escapeRisky(applied)}): it cannot be applied again.` : ""}\n`);
    this.print(renderPlanText(saved.plan, this.style, { detailed: this.detailed }));
    return 0;
  }
}
