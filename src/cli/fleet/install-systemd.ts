import { Option } from "clipanion";
import { InstallCommand } from "../install-command.js";

export default class FleetInstallSystemdCommand extends InstallCommand {
  static override paths = [["fleet", "install-systemd"]];

  static override usage = InstallCommand.Usage({
    category: "Fleet",
    description: "Install the fleet's systemd user units and the tools they run",
    details: `
      Installs \`mosaic-tmux-holder.service\` and \`mosaic-agent@.service\` into \`$XDG_CONFIG_HOME/systemd/user/\`, and the tools they run into \`~/.config/mosaic/tools/fleet/\` and \`~/.config/mosaic/tools/tmux/\`, as planned resources: each file is created or refreshed only where it differs, so running it twice changes nothing. A file edited by hand is shown as a diff and replaced only with \`--force\`, keeping a backup. The roster is never touched.

      systemd reads new unit files after \`systemctl --user daemon-reload\`, which this prints, or runs with \`--reload\`. Then \`mosaic fleet start\` starts the fleet through the units (backend \`auto\` picks systemd once they are installed) and enables them, so the fleet comes back at login, and at boot when lingering is enabled (this command says whether it is).
    `,
    examples: [
      ["Install the units and tools", "$0 fleet install-systemd"],
      ["...and have systemd read them at once", "$0 fleet install-systemd --reload"],
      ["Show what would change", "$0 fleet install-systemd --dry-run"],
    ],
  });

  reload = Option.Boolean("--reload", false, { description: "Run `systemctl --user daemon-reload` after unit files change" });

  protected async run(): Promise<number> {
    const { code, applied } = await this.installTo({ command: "install", reload: this.reload, force: this.force }, { ask: false });
    if (code !== 0 || this.dryRun) return code;
    const needsReload = applied !== null && this.reloadLeft(applied);
    if (needsReload) this.print("\nsystemd reads the new unit files after: systemctl --user daemon-reload");
    await this.reportLingering();
    return 0;
  }
}
