import { Option } from "clipanion";
import { join } from "node:path";
import { readTextFileIfExists } from "../adapters/fs.js";
import { cliEntry } from "../framework.js";
import { DRIFT_SERVICE, DRIFT_TIMER, driftService, driftTimer, readDriftCheck } from "../identity/drift-units.js";
import type { InstallLayout, ProductFile } from "../layout.js";
import { InstallCommand } from "./install-command.js";

export default class UpdateCommand extends InstallCommand {
  static override paths = [["update"]];

  static override usage = InstallCommand.Usage({
    category: "Fleet",
    description: "Refresh the installed units and tools from this mosaic (it does not fetch a new mosaic)",
    details: `
      It does not download or upgrade mosaic: upgrade the package first (\`npm install -g mosaic@latest\`, or however you installed it), then run this. After upgrading mosaic, it brings the files \`mosaic fleet install-systemd\` installed up to this version: every product file is planned, shown as a diff, and written only where it differs, after you confirm. When a unit file changes, systemd re-reads it (\`systemctl --user daemon-reload\`); no agent restarts, and a unit's new start command takes effect the next time it starts.

      Never touches the site roster or any other file of yours: only the files mosaic ships. An installed file that was edited by hand is shown as a diff and replaced only with \`--force\`, keeping the old file as a backup beside it. With no unit file installed (never installed, or removed by the rollback), there is nothing to update.

      Only one \`update\` or \`fleet install-systemd\` runs at a time for the same files; another waits up to \`--lock-timeout\` seconds. Ctrl+C before anything changes cancels; while files are written, the file under way is finished and nothing more starts.
    `,
    examples: [
      ["Review and apply the update", "$0 update"],
      ["In a script", "$0 update --auto-approve"],
      ["Show the plan as JSON", "$0 update --dry-run --json"],
    ],
  });

  autoApprove = Option.Boolean("--auto-approve", false, { description: "Apply without asking" });

  /**
   * The drift timer's units, where installed, written again for the node
   * and mosaic this is: they name the ones that installed them, which an
   * upgrade into another prefix (or an nvm switch) leaves behind, and the
   * timer would fail forever once they are gone. Same roster, same period.
   */
  protected override async generatedFiles(layout: InstallLayout): Promise<ProductFile[]> {
    const servicePath = join(layout.unitDir, DRIFT_SERVICE);
    const timerPath = join(layout.unitDir, DRIFT_TIMER);
    const [service, timer] = await Promise.all([readTextFileIfExists(servicePath).catch(() => undefined), readTextFileIfExists(timerPath).catch(() => undefined)]);
    if (service === undefined || timer === undefined) return [];
    const found = readDriftCheck(service, timer);
    if (found === null) return [];
    const check = { ...found, node: process.execPath, mosaic: cliEntry };
    return [
      { type: "file.unit", name: DRIFT_SERVICE, path: servicePath, content: driftService(check), mode: 0o644 },
      { type: "file.unit", name: DRIFT_TIMER, path: timerPath, content: driftTimer(check), mode: 0o644 },
    ];
  }

  protected async run(): Promise<number> {
    const { code, plan } = await this.installTo({ command: "update", reload: true, force: this.force }, { ask: !this.autoApprove });
    if (code === 0 && plan?.changes.length === 0) this.print("`mosaic fleet install-systemd` installs the systemd units.");
    return code;
  }
}
