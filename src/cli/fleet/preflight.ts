import { Option } from "clipanion";
import { catchingStopSignals } from "../../adapters/processes.js";
import { packageRoot } from "../../framework.js";
import { summary } from "../../release/checklist.js";
import { runPreflight } from "../../release/run.js";
import { preflightJson } from "../../render/release-json.js";
import { renderPreflight } from "../../render/release-text.js";
import { isProfile, PROFILES } from "../../roster/profiles.js";
import { UserError } from "../../errors.js";
import { MosaicCommand } from "../base.js";
import { preflightHold } from "../fault-injection.js";
import { parseSeconds } from "../option-values.js";

export default class FleetPreflightCommand extends MosaicCommand {
  static override paths = [["fleet", "preflight"]];

  static override usage = MosaicCommand.Usage({
    category: "Fleet",
    description: "Run the release preflight on a scratch fleet, touching nothing of yours",
    details: `
      The release checklist as one command, on a scratch tmux socket, a scratch TMUX_TMPDIR, a scratch home and a scratch npm prefix, so it never touches your fleet, your roster or any tmux server of yours:

      1. \`npm pack --dry-run --json\` of this mosaic's package ships \`framework/fleet\`, \`framework/systemd/user\`, \`framework/tools/fleet\` and \`framework/tools/tmux\`.
      2. The packed package installs into the scratch prefix.
      3. That mosaic runs \`fleet start\`, \`restart\`, \`stop\`, \`start\` and \`start\` again on the profile's roster, and no default tmux server is ever created.
      4. \`fleet verify\` passes, and \`tmux has-session -t =NAME\` finds the holder and every agent.
      5. A task sent with \`agent send\` is answered in the agent's pane (the demo agent, or with \`--agent-command CMD\` a real one).
      6. \`mosaic update\` after \`install-systemd\` leaves the site roster byte for byte.

      Prints PASS, FAIL or SKIP for each, with its evidence (pids, pane text, hashes), and exits 1 on any FAIL. The scratch fleet, its tmux server and the scratch folder are removed at the end, however it ends, unless \`--keep\`. Ctrl+C, a TERM or a hangup ends the step under way, cleans up all the same, names the stage it stopped in, and exits 130.
    `,
    examples: [
      ["Before a release", "$0 fleet preflight"],
      ["With a real agent answering the task", "$0 fleet preflight --agent-command pi --timeout 300"],
      ["Keep the scratch fleet to look at", "$0 fleet preflight --keep"],
      ["For a release script", "$0 fleet preflight --json"],
    ],
  });

  profile = Option.String("--profile", { description: `Roster to run: ${PROFILES.join(", ")} (default demo, or minimal with --agent-command)` });
  agentCommand = Option.String("--agent-command", { description: "Run the profile's agents as this command and send it a real task" });
  timeout = Option.String("--timeout", "120", { description: "Seconds to wait for the agent's answer (default 120)" });
  keep = Option.Boolean("--keep", false, { description: "Leave the scratch fleet, home and prefix in place" });
  json = Option.Boolean("--json", false, { description: "Print the checklist as JSON" });

  protected override checkOptions(): void {
    parseSeconds("--timeout", this.timeout);
    if (this.profile !== undefined && !isProfile(this.profile)) throw new UserError(`--profile: unknown profile "${this.profile}"; choose one of: ${PROFILES.join(", ")}`);
    if (this.agentCommand !== undefined && !/^[^\s=-][^\s=]*$/.test(this.agentCommand)) {
      throw new UserError(`--agent-command: ${JSON.stringify(this.agentCommand)} is not a command name or path (no spaces or "=", not starting with "-"); arguments come from the profile`);
    }
  }

  protected async run(): Promise<number> {
    // Ctrl+C, a TERM or a hangup (a closed terminal or ssh session): the program the stage under way
    // runs is ended, no later stage starts, and the scratch fleet, server and folders are removed before
    // the report; then exit 130. Later signals are caught too, so they cannot cut the clean-up short.
    const stop = new AbortController();
    const progress = (line: string) => {
      if (!this.json) this.printErr(line);
    };
    return catchingStopSignals(
      (count, signal) => (count === 1 ? stop.abort(signal) : progress(`preflight: ${signal} again: still cleaning up; it ends by itself once done`)),
      async () => {
        const report = await runPreflight({
          packageDir: packageRoot,
          env: this.env,
          profile: this.profile ?? (this.agentCommand === undefined ? "demo" : "minimal"),
          agentCommand: this.agentCommand ?? null,
          timeoutSeconds: parseSeconds("--timeout", this.timeout),
          keep: this.keep,
          uid: process.getuid?.() ?? 0,
          progress,
          stop: stop.signal,
          ...preflightHold(this.env, stop.signal),
        });
        if (this.json) this.printJson(preflightJson(report));
        else this.print(renderPreflight(report, this.style));
        if (report.interrupted) return 130;
        return summary(report.checks).failed === 0 ? 0 : 1;
      },
    );
  }
}
