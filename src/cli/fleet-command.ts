import { Option } from "clipanion";
import { appliedSockets } from "../adapters/state.js";
import { lastJournalLines } from "../adapters/journal.js";
import { SystemctlClient } from "../adapters/systemctl.js";
import { installLayout } from "../layout.js";
import { readProductFiles } from "../observe/product.js";
import type { PlanSettings } from "../plan/settings.js";
import { frameworkPaths } from "../framework.js";
import { observeWorld } from "../observe/observe.js";
import { rosterIdentityPath } from "../identity/roster-id.js";
import type { SessionStatus, UnitFailure } from "../status/status.js";
import type { ObservedFleet } from "../observe/types.js";
import { plan as makePlan } from "../plan/plan.js";
import { ROSTER_INTENT, type Plan, type PlanIntent } from "../plan/types.js";
import type { BackendChoice, DesiredFleet } from "../roster/types.js";
import { parseBackendChoice, resolveBackendChoice } from "./option-values.js";
import { TmuxCommand } from "./tmux-command.js";

/** How many of a failed unit's last journal lines `status` shows, as `systemctl status` shows ten. */
const JOURNAL_LINES = 5;

/** Commands that plan, change or report on the fleet: they may choose a backend. */
export abstract class FleetCommand extends TmuxCommand {
  backendOption = Option.String("--backend", {
    description: "How sessions start and stop in this run, instead of the roster's backend: auto (systemd once its units are installed, else direct), systemd or direct",
  });

  protected override checkOptions(): void {
    if (this.backendOption !== undefined) parseBackendChoice("--backend", this.backendOption);
  }

  /** Set by a command applying a saved plan: the backend that plan was made for. */
  protected savedBackend: BackendChoice | undefined;

  /** Who starts and stops the sessions in this run: `--backend` when given, else the roster's `backend`. */
  backendChoice(desired: DesiredFleet): BackendChoice {
    return this.savedBackend ?? resolveBackendChoice(this.backendOption, desired);
  }

  protected get systemctl(): SystemctlClient {
    return new SystemctlClient({ env: this.env });
  }

  private settingsMemo: PlanSettings | undefined;

  /** What the planner needs beyond the roster: the backend asked for, where files go, and this package's product files. */
  protected async settings(desired: DesiredFleet): Promise<PlanSettings> {
    if (!this.settingsMemo) {
      const layout = installLayout(this.env);
      this.settingsMemo = { backend: this.backendChoice(desired), layout, product: await readProductFiles(layout) };
    }
    return this.settingsMemo;
  }

  /**
   * The fleet's failed units among `rows`, each with its last journal
   * lines (one journalctl call for all of them), for `status`: a unit
   * that failed says why only there.
   */
  protected async unitFailures(rows: readonly SessionStatus[], observed: ObservedFleet): Promise<UnitFailure[]> {
    const units = rows.flatMap((r) => (r.failedUnit === null ? [] : [r.failedUnit]));
    if (units.length === 0) return [];
    const journal = await lastJournalLines(units, { env: this.env, uid: this.uid, perUnit: JOURNAL_LINES });
    return units.map((unit) => ({
      unit,
      result: observed.systemd?.units[unit]?.result ?? null,
      lines: journal.ok ? (journal.lines.get(unit) ?? []) : [],
      problem: journal.ok ? null : journal.problem,
    }));
  }

  /** One snapshot of the world; `launches`: gather what a launch depends on (not needed to stop). */
  protected async observe(desired: DesiredFleet, opts: { launches: boolean }): Promise<ObservedFleet> {
    const identity = rosterIdentityPath(desired);
    const settings = await this.settings(desired);
    return observeWorld({
      systemctl: this.systemctl,
      backend: settings.backend,
      layout: settings.layout,
      productPaths: settings.product.map((f) => f.path),
      desired,
      tmux: this.tmuxFor(desired.socket),
      tmuxFor: (socket) => this.tmuxFor(socket),
      env: this.env,
      uid: this.uid,
      configPath: frameworkPaths.tmuxConfig,
      appliedSockets: identity === null ? [] : await appliedSockets(this.env, identity),
      launches: opts.launches,
    });
  }

  /** One observation and the plan to the roster made from it: what plan and status show. */
  protected async snapshot(desired: DesiredFleet, intent: PlanIntent = ROSTER_INTENT): Promise<{ observed: ObservedFleet; plan: Plan }> {
    const observed = await this.observe(desired, { launches: intent.target === "roster" });
    return { observed, plan: makePlan(desired, observed, intent, await this.settings(desired)) };
  }
}
