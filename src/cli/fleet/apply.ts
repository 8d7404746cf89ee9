import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { staleness } from "../../plan/saved-plan.js";
import { consumePlan, planAppliedAt } from "../../adapters/plan-seal.js";
import { ROSTER_INTENT } from "../../plan/types.js";
import { loadRoster } from "../../roster/load.js";
import { ReconcileCommand } from "../reconcile-command.js";
import { requireAgents } from "../require-agents.js";
import { readPlanFile } from "../plan-file.js";
import { workingFolder } from "../base.js";

export default class FleetApplyCommand extends ReconcileCommand {
  static override paths = [["fleet", "apply"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Make the fleet match the roster, after confirmation",
    details: `
      Shows the plan and asks \`Apply these actions? [y/N]\` on a terminal. Without a terminal it refuses unless \`--auto-approve\` is given. After applying, observes the fleet again and exits 1 naming anything that still differs.

      With a PLANFILE saved by \`mosaic fleet plan --out PLANFILE\`, applies exactly that plan, without asking: it was reviewed when it was made. It refuses, changing nothing and naming what changed, if the roster, a session, a unit or an installed file is no longer as it was when the plan was made, or if the file was made by another version of mosaic.

      Only one apply runs at a time per tmux socket; another waits up to \`--lock-timeout\` seconds.
    `,
    examples: [
      ["Review and apply", "$0 fleet apply"],
      ["Apply without asking (scripts)", "$0 fleet apply --auto-approve"],
      ["Apply a plan reviewed earlier, exactly as it was", "$0 fleet apply release.plan"],
      ["Also replace an agent held by on_spec_change: hold", "$0 fleet apply --force-replace canary-pi"],
    ],
  });

  planFile = Option.String({ required: false, name: "PLANFILE" });
  autoApprove = Option.Boolean("--auto-approve", false, { description: "Apply without asking for confirmation" });
  forceReplace = Option.Array("--force-replace", [], { description: "Replace this agent even if it is in sync or held (repeatable)" });

  protected override checkOptions(): void {
    super.checkOptions();
    if (this.planFile === undefined) return;
    const conflicting = [this.forceReplace.length > 0 && "--force-replace", this.backendOption !== undefined && "--backend"].filter((o): o is string => o !== false);
    if (conflicting.length > 0) throw new UserError(`${conflicting.join(" and ")} cannot be used with a saved plan: it applies what was planned`, ["Give them to `mosaic fleet plan --out FILE` instead."]);
  }

  protected async run(): Promise<number> {
    if (this.planFile !== undefined) return this.applySaved(this.planFile);
    const desired = await this.loadDesired();
    requireAgents(desired, this.forceReplace, "--force-replace");
    return this.reconcileTo(desired, { ...ROSTER_INTENT, replace: this.forceReplace }, { confirm: true, autoApprove: this.autoApprove });
  }

  private async applySaved(file: string): Promise<number> {
    const saved = await readPlanFile(this.absolutePath(file, "PLANFILE"), this.env);
    if (this.rosterOption !== undefined && this.rosterPath !== saved.roster.path) {
      throw new UserError(`${file} is a plan of the roster ${saved.roster.path}, not of ${this.rosterPath}`, ["Leave out --roster: a saved plan names its roster."]);
    }
    const desired = await loadRoster({ path: saved.roster.path, home: this.home, cwd: workingFolder() ?? "/" });
    this.savedBackend = saved.backend_choice;
    return this.reconcileTo(desired, saved.plan.intent, { confirm: false, autoApprove: true, saved: {
        plan: saved.plan,
        stale: (observed) => staleness(saved, desired, observed),
        appliedAt: () => planAppliedAt(this.env, saved.id),
        consume: () => consumePlan(this.env, saved.id, new Date()),
      },
    });
  }
}
