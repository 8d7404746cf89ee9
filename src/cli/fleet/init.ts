import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { MosaicCommand } from "../base.js";
import { isProfile, PROFILES, readProfile } from "../../roster/profiles.js";
import { parseRosterText } from "../../roster/load.js";
import { writeSiteRoster } from "../../roster/write-roster.js";

export default class FleetInitCommand extends MosaicCommand {
  static override paths = [["fleet", "init"]];

  static override usage = MosaicCommand.Usage({
    category: "Fleet",
    description: "Start a site roster from a shipped example",
    details: `
      Without \`--write\`, prints the roster the profile would install. With \`--write\`, installs it as the site roster (\`$XDG_CONFIG_HOME/mosaic/fleet/roster.yaml\`, or \`--roster PATH\`) atomically.

      An existing roster is never overwritten unless \`--force\` is given; then the old file is kept as a timestamped backup beside the new one. If the roster path is a symbolic link, the file it points to is replaced (keeping its permissions) and backed up, and the link stays; a link to a missing file is refused.

      Profiles: \`minimal\` (one agent, canary-pi, running pi), \`local-canary\` (a small dogfood fleet), \`demo\` (two echo agents that need nothing installed).
    `,
    examples: [
      ["Preview the minimal roster", "$0 fleet init --profile minimal"],
      ["Install it as the site roster", "$0 fleet init --profile minimal --write"],
      ["Replace an existing roster, keeping a backup", "$0 fleet init --profile local-canary --write --force"],
    ],
  });

  profile = Option.String("--profile", "minimal", { description: `Example to start from: ${PROFILES.join(", ")}` });
  write = Option.Boolean("--write", false, { description: "Install the roster instead of printing it" });
  force = Option.Boolean("--force", false, { description: "Replace an existing roster, keeping a timestamped backup" });

  protected async run(): Promise<number> {
    if (!isProfile(this.profile)) {
      throw new UserError(`unknown profile "${this.profile}"; choose one of: ${PROFILES.join(", ")}`);
    }
    const text = await readProfile(this.profile);
    // The shipped examples are tested, but a broken install must not write a broken roster.
    await parseRosterText({ path: this.rosterPath, display: `profile ${this.profile}`, text }, this.home);

    if (!this.write) {
      this.print(text);
      this.printErr(`(preview only: run with --write to install it at ${this.rosterPath})`);
      return 0;
    }
    const outcome = await writeSiteRoster(this.rosterPath, text, {
      force: this.force,
      now: new Date(),
      retryHint: `mosaic fleet init --profile ${this.profile} --write${this.rosterOption ? ` --roster ${this.rosterOption}` : ""}`,
    });
    // Through a symbolic link, name the file that changed as well as the link.
    const written = outcome.writtenPath === this.rosterPath ? this.rosterPath : `${outcome.writtenPath} (linked from ${this.rosterPath})`;
    switch (outcome.kind) {
      case "created":
        this.print(`Wrote the ${this.profile} roster to ${written}`);
        break;
      case "unchanged":
        this.print(`${written} already holds the ${this.profile} roster; nothing to do`);
        break;
      case "replaced":
        this.print(`Backed up the previous roster to ${outcome.backupPath}`);
        this.print(`Wrote the ${this.profile} roster to ${written}`);
        break;
    }
    this.print("Next: mosaic fleet plan");
    return 0;
  }
}
