import { Option } from "clipanion";
import { userInfo } from "node:os";
import { recordInstalled } from "../adapters/install-record.js";
import { lingering } from "../adapters/loginctl.js";
import { fileHash } from "../identity/file-hash.js";
import { SystemctlClient } from "../adapters/systemctl.js";
import { executePlan } from "../apply/execute.js";
import { fileEffects } from "../apply/file-effects.js";
import { hostEffects } from "../apply/host-effects.js";
import { systemdEffects } from "../apply/systemd-effects.js";
import { UserError } from "../errors.js";
import { installLayout, type InstallLayout, type ProductFile } from "../layout.js";
import { observeInstall } from "../observe/install.js";
import { readProductFiles } from "../observe/product.js";
import { planInstall, reloadsManager, type InstallIntent } from "../plan/install.js";
import { hasChanges, hasErrors, summarise } from "../plan/predicates.js";
import type { Plan } from "../plan/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { planJson } from "../render/plan-json.js";
import { renderPlanText } from "../render/plan-text.js";
import { MosaicCommand } from "./base.js";
import { faultInjection } from "./fault-injection.js";

/**
 * `fleet install-systemd` and `mosaic update`: reconcile the product files
 * installed under the user's home to this package's, through the same
 * planner, renderer and executor as the fleet.
 */
export abstract class InstallCommand extends MosaicCommand {
  force = Option.Boolean("--force", false, { description: "Replace installed files that were edited by hand, keeping each old one as a backup beside it" });
  dryRun = Option.Boolean("--dry-run", false, { description: "Show the plan and change nothing" });
  json = Option.Boolean("--json", false, { description: "With --dry-run: print the plan as JSON" });

  protected override checkOptions(): void {
    if (this.json && !this.dryRun) throw new UserError("--json needs --dry-run: it prints the plan, which --dry-run stops at");
  }

  /** Plan, show, maybe confirm, apply, and check: the exit code, and the plan that was applied (null when nothing was). */
  protected async installTo(intent: InstallIntent, opts: { ask: boolean }): Promise<{ code: number; applied: Plan | null; plan: Plan }> {
    const layout = installLayout(this.env);
    const product = [...(await readProductFiles(layout)), ...this.generatedFiles(layout)];
    const settings = { backend: "systemd" as const, layout, product };
    const systemctl = new SystemctlClient({ env: this.env });
    const observe = () => observeInstall(product, this.env, systemctl);
    const plan = planInstall(await observe(), settings, intent);

    if (this.json) {
      this.printJson(planJson(plan));
      return { code: hasErrors(plan) ? 1 : 0, applied: null, plan };
    }
    this.print(renderPlanText(plan, this.style));
    if (hasErrors(plan)) {
      this.printErr(`${this.errStyle.red("error:")} the plan has errors (above); nothing was changed`);
      return { code: 1, applied: null, plan };
    }
    if (this.dryRun || !hasChanges(plan)) return { code: 0, applied: null, plan };
    if (opts.ask) {
      const stdin = this.context.stdin as NodeJS.ReadStream;
      if (!stdin.isTTY) throw new UserError("no terminal to confirm on", ["Run with --auto-approve to apply without asking, or with --dry-run to review first."]);
      if (!(await this.askYesNo("\nApply these changes? Only 'yes' or 'y' applies. [y/N] "))) {
        this.print("Cancelled; nothing was changed.");
        return { code: 1, applied: null, plan };
      }
    }

    const effects = hostEffects(null, fileEffects(this.env), systemdEffects(systemctl));
    const outcomes = await executePlan(plan, effects, (o) => this.print(renderOutcome(o, this.style)), faultInjection(this.env));
    const again = planInstall(await observe(), settings, { ...intent, force: false });
    const left = again.changes.filter((c) => c.action !== "noop" && !(intent.force && c.reason === "edited-by-hand"));
    if (outcomes.some((o) => o.status !== "done") || left.length > 0) {
      this.printErr(`\n${this.errStyle.red("error:")} the installed files do not match this mosaic yet; still different:`);
      for (const c of left) this.printErr(`  ${c.address}: ${c.reason}`);
      return { code: 1, applied: plan, plan };
    }
    await this.recordMatching(plan);
    const s = summarise(plan);
    this.print(`\n${this.style.green("Apply complete!")} Resources: ${s.add} added, ${s.change} changed, ${s.destroy} destroyed.`);
    return { code: 0, applied: plan, plan };
  }

  /**
   * After an apply, the product files that already matched go on the
   * record too: after a lost record (and a --force), they would otherwise
   * stay unrecorded, and the next upgrade of each would look like an edit.
   * Best effort: the record only decides whether --force is needed.
   */
  private async recordMatching(plan: Plan): Promise<void> {
    const matching = plan.changes.flatMap((c) => ((c.type === "file.unit" || c.type === "file.tool") && c.action === "noop" ? [{ path: c.path, hash: fileHash(c.after.content) }] : []));
    try {
      await recordInstalled(this.env, matching);
    } catch (err) {
      this.printErr(`${this.errStyle.yellow("warning:")} could not update the install record (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  /** Files this run installs beside the package's own, made from its options (the drift timer's units). */
  protected generatedFiles(_layout: InstallLayout): ProductFile[] {
    return [];
  }

  /** Whether the plan wrote unit files and left the daemon-reload to the user. */
  protected reloadLeft(plan: Plan): boolean {
    return !reloadsManager(plan) && plan.changes.some((c) => c.type === "file.unit" && c.action !== "noop");
  }

  /** Lingering keeps the user's manager, and so the fleet, running after logout and starts it at boot. */
  protected async reportLingering(): Promise<void> {
    // An empty USER names no one either.
    const user = this.env.USER || this.env.LOGNAME || processUser();
    const l = await lingering(user, this.env);
    const enable = `loginctl enable-linger ${user || "$USER"}`;
    if (l.state === "yes") this.print(`Lingering is enabled for ${user}: the fleet keeps running after you log out and starts at boot.`);
    else if (l.state === "no") this.print(`Lingering is not enabled for ${user}: the fleet stops when you log out and does not start at boot. To keep it running: ${enable}`);
    else this.print(`Could not tell whether lingering is enabled (${l.why}). Without it the fleet stops at logout and does not start at boot; enable it with: ${enable}`);
  }

}

/**
 * The user mosaic runs as, from the password database: what loginctl is
 * asked about when the environment names no one (cron, `env -i`, some
 * containers). "" when even that has no entry for the process's uid.
 */
function processUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}
