import { Option } from "clipanion";
import { join } from "node:path";
import { UserError } from "../../errors.js";
import { cliEntry } from "../../framework.js";
import type { InstallLayout, ProductFile } from "../../layout.js";
import { DEFAULT_DRIFT_EVERY, DRIFT_ENV_KEYS, DRIFT_SERVICE, DRIFT_TIMER, driftService, driftTimer, parseDriftEvery, type DriftCheck } from "../../identity/drift-units.js";
import { InstallCommand } from "../install-command.js";

export default class FleetInstallSystemdCommand extends InstallCommand {
  static override paths = [["fleet", "install-systemd"]];

  static override usage = InstallCommand.Usage({
    category: "Fleet",
    description: "Install the fleet's systemd user units and the tools they run",
    details: `
      Installs \`mosaic-tmux-holder.service\` and \`mosaic-agent@.service\` into \`$XDG_CONFIG_HOME/systemd/user/\`, and the tools they run into \`~/.config/mosaic/tools/fleet/\` and \`~/.config/mosaic/tools/tmux/\`, as planned resources: each file is created or refreshed only where it differs, so running it twice changes nothing. A file edited by hand is shown as a diff and replaced only with \`--force\`, keeping a backup. The roster is never touched.

      \`--drift-timer\` also installs \`${DRIFT_SERVICE}\` and \`${DRIFT_TIMER}\`, which run \`mosaic fleet plan --detailed-exitcode --quiet\` for this roster every \`--every\` (default ${DEFAULT_DRIFT_EVERY}): a drift is a failed run, listed by \`systemctl --user --failed\`, with its one line in the journal. Turn it on with \`systemctl --user enable --now ${DRIFT_TIMER}\`.

      systemd reads new unit files after \`systemctl --user daemon-reload\`, which this prints, or runs with \`--reload\`. Then \`mosaic fleet start\` starts the fleet through the units (backend \`auto\` picks systemd once they are installed) and enables them, so the fleet comes back at login, and at boot when lingering is enabled (this command says whether it is).

      Only one \`fleet install-systemd\` or \`update\` runs at a time for the same files; another waits up to \`--lock-timeout\` seconds.
    `,
    examples: [
      ["Install the units and tools", "$0 fleet install-systemd"],
      ["...and have systemd read them at once", "$0 fleet install-systemd --reload"],
      ["Show what would change", "$0 fleet install-systemd --dry-run"],
      ["Also check for drift every 15 minutes, as a failed unit run", "$0 fleet install-systemd --drift-timer --every 15min"],
    ],
  });

  reload = Option.Boolean("--reload", false, { description: "Run `systemctl --user daemon-reload` after unit files change" });
  driftTimerOption = Option.Boolean("--drift-timer", false, { description: `Also install a timer that checks this roster for drift (a failed unit run on drift)` });
  every = Option.String("--every", { description: `With --drift-timer: how often, as systemd writes it (default ${DEFAULT_DRIFT_EVERY})` });

  protected override checkOptions(): void {
    super.checkOptions();
    if (this.every !== undefined && !this.driftTimerOption) throw new UserError("--every needs --drift-timer: it says how often the drift check runs");
    if (this.every !== undefined) {
      const r = parseDriftEvery(this.every);
      if (!r.ok) throw new UserError(`--every: ${r.problem}`);
    }
  }

  protected override async generatedFiles(layout: InstallLayout): Promise<ProductFile[]> {
    if (!this.driftTimerOption) return [];
    const every = parseDriftEvery(this.every ?? DEFAULT_DRIFT_EVERY);
    if (!every.ok) throw new UserError(`--every: ${every.problem}`);
    if (/[\x00-\x1f\x7f]/.test(this.rosterPath)) throw new UserError(`the roster path ${JSON.stringify(this.rosterPath)} holds a control character, which a unit file cannot carry`);
    const env = Object.fromEntries(DRIFT_ENV_KEYS.flatMap((k) => (this.env[k] ? [[k, this.env[k]]] : [])));
    const check: DriftCheck = { node: process.execPath, mosaic: cliEntry, roster: this.rosterPath, every: every.every, env };
    return [
      { type: "file.unit", name: DRIFT_SERVICE, path: join(layout.unitDir, DRIFT_SERVICE), content: driftService(check), mode: 0o644 },
      { type: "file.unit", name: DRIFT_TIMER, path: join(layout.unitDir, DRIFT_TIMER), content: driftTimer(check), mode: 0o644 },
    ];
  }

  protected async run(): Promise<number> {
    // The timer checks this roster every few minutes: one that cannot be read would fail every run, as a drift does.
    if (this.driftTimerOption) await this.loadDesired();
    const { code, applied } = await this.installTo({ command: "install", reload: this.reload, force: this.force }, { ask: false });
    if (code !== 0 || this.dryRun) return code;
    const needsReload = applied !== null && this.reloadLeft(applied);
    if (needsReload) this.print("\nsystemd reads the new unit files after: systemctl --user daemon-reload");
    if (this.driftTimerOption) this.print(`\nThe drift check runs once its timer is on: systemctl --user enable --now ${DRIFT_TIMER}`);
    await this.reportLingering();
    return 0;
  }
}
