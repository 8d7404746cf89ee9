import { Option } from "clipanion";
import { userInfo } from "node:os";
import { recordInstalled } from "../adapters/install-record.js";
import { lingering } from "../adapters/loginctl.js";
import { sayOncePerDay } from "../adapters/state.js";
import { installLockFile } from "../adapters/lock.js";
import { tmuxSocketPath } from "../adapters/tmux.js";
import { fileHash } from "../identity/file-hash.js";
import { SystemctlClient } from "../adapters/systemctl.js";
import { fileEffects } from "../apply/file-effects.js";
import { hostEffects } from "../apply/host-effects.js";
import { systemdEffects } from "../apply/systemd-effects.js";
import { UserError } from "../errors.js";
import { installLayout, type InstallLayout, type ProductFile } from "../layout.js";
import { observeInstall } from "../observe/install.js";
import { readProductFiles } from "../observe/product.js";
import { planInstall, reloadsManager, type InstallIntent } from "../plan/install.js";
import type { ObservedInstall } from "../observe/types.js";
import { hasErrors } from "../plan/predicates.js";
import type { Plan } from "../plan/types.js";
import { renderOutcome } from "../render/apply-text.js";
import { planJson } from "../render/plan-json.js";
import { renderPlanText } from "../render/plan-text.js";
import { MosaicCommand } from "./base.js";
import { faultInjection } from "./fault-injection.js";
import { parseSeconds } from "./option-values.js";
import { lockHolder, lockTimeoutOption, reconcileWithSignals, reportReconcile } from "./run-reconcile.js";

/**
 * `fleet install-systemd` and `mosaic update`: reconcile the product files
 * installed under the user's home to this package's, through the same
 * loop as the fleet: its lock (one install or update at a time), planner,
 * renderer, executor and signal handling.
 */
export abstract class InstallCommand extends MosaicCommand {
  force = Option.Boolean("--force", false, { description: "Replace installed files that were edited by hand, keeping each old one as a backup beside it" });
  dryRun = Option.Boolean("--dry-run", false, { description: "Show the plan and change nothing" });
  json = Option.Boolean("--json", false, { description: "With --dry-run: print the plan as JSON" });
  lockTimeout = lockTimeoutOption("another install-systemd or update of the same files");

  protected override checkOptions(): void {
    if (this.json && !this.dryRun) throw new UserError("--json needs --dry-run: it prints the plan, which --dry-run stops at");
    parseSeconds("--lock-timeout", this.lockTimeout);
  }

  /** Plan, show, maybe confirm, apply, and check: the exit code, the plan made (null when none was), and the plan applied (null when nothing was). */
  protected async installTo(intent: InstallIntent, opts: { ask: boolean }): Promise<{ code: number; applied: Plan | null; plan: Plan | null }> {
    const layout = installLayout(this.env);
    const product = [...(await readProductFiles(layout)), ...(await this.generatedFiles(layout))];
    const settings = { backend: "systemd" as const, layout, product };
    const systemctl = new SystemctlClient({ env: this.env });
    const observe = () => observeInstall(product, this.env, systemctl);
    const planFor = (observed: ObservedInstall, i: InstallIntent) => planInstall(observed, settings, i);

    if (this.dryRun) return { code: this.showOnly(planFor(await observe(), intent)), applied: null, plan: null };

    const out = { print: (t: string) => this.print(t), printErr: (t: string) => this.printErr(t), style: this.style };
    const result = await reconcileWithSignals<InstallIntent, ObservedInstall>(intent, out, ({ interrupted, changing, prompt }) => ({
      // The tools folder is fixed under HOME (the units name it), so one lock per HOME keeps every writer of these files apart.
      // Only the folder of that path is used (no server is reached): the private one tmux keeps for this user.
      lock: { file: installLockFile(tmuxSocketPath("default", this.env, process.getuid?.() ?? 0)), named: "on the installed files", timeoutMs: parseSeconds("--lock-timeout", this.lockTimeout) * 1000, me: lockHolder(this.path) },
      observe,
      plan: planFor,
      verifyAgainst: { ...intent, force: false },
      effects: hostEffects(null, fileEffects(this.env), systemdEffects(systemctl, null)),
      remember: (_observed, plan) => this.recordMatching(plan),
      say: (t) => this.printErr(t),
      showPlan: (plan) => this.print(renderPlanText(plan, this.style)),
      confirm: opts.ask ? () => this.confirmOnTerminal(prompt) : null,
      report: (o) => this.print(renderOutcome(o, this.style)),
      interrupted,
      changing,
      ...faultInjection(this.env),
    }));
    const code = reportReconcile(result, intent, out);
    return { code, applied: result.kind === "applied" ? result.plan : null, plan: result.plan };
  }

  /** --dry-run: the plan, as text or JSON, and nothing changed. */
  private showOnly(plan: Plan): number {
    if (this.json) {
      this.printJson(planJson(plan));
      return hasErrors(plan) ? 1 : 0;
    }
    this.print(renderPlanText(plan, this.style));
    if (!hasErrors(plan)) return 0;
    this.printErr(`${this.errStyle.red("error:")} the plan has errors (above); nothing was changed`);
    return 1;
  }

  /** Asked only once there is something to change: with nothing to do, a script without a terminal still succeeds. */
  private async confirmOnTerminal(prompt: AbortSignal): Promise<boolean> {
    const stdin = this.context.stdin as NodeJS.ReadStream;
    if (!stdin.isTTY) throw new UserError("no terminal to confirm on", ["Run with --auto-approve to apply without asking, or with --dry-run to review first."]);
    return this.askYesNo("\nApply these changes? Only 'yes' or 'y' applies. [y/N] ", prompt);
  }

  /**
   * Before the files change, the product files that already match go on
   * the record too: after a lost record (and a --force), they would
   * otherwise stay unrecorded, and the next upgrade of each would look
   * like an edit. Best effort: the record only decides whether --force is needed.
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
  protected async generatedFiles(_layout: InstallLayout): Promise<ProductFile[]> {
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
    // Unknown stays unknown until the host changes: said once a day, not at every install and update.
    else if (sayOncePerDay(this.env, "linger-unknown", new Date())) this.print(`Could not tell whether lingering is enabled (${l.why}). Without it the fleet stops at logout and does not start at boot; enable it with: ${enable}. (Said once a day.)`);
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
