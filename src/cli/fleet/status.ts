import { Option } from "clipanion";
import { observationFailed } from "../../plan/predicates.js";
import { renderDiagnostics } from "../../render/plan-text.js";
import { renderStatusTable, renderUnitFailures, statusJson } from "../../render/status-text.js";
import { fleetStatus } from "../../status/status.js";
import { FleetCommand } from "../fleet-command.js";
import { sleep } from "../../adapters/processes.js";
import { UserError } from "../../errors.js";
import type { DesiredFleet } from "../../roster/types.js";
import { parseSeconds } from "../option-values.js";

export default class FleetStatusCommand extends FleetCommand {
  static override paths = [["fleet", "status"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Show every agent: wanted, running, alive, and its drift",
    details: "Reads the roster and one snapshot of the fleet's tmux socket (and, under systemd, of its units). Under each unit that failed it prints the unit's last lines in the journal, which say why. DRIFT names why the next apply would change an agent (`missing`, `pane-dead`, `spec-changed`, ...); `(held)` marks a replacement deferred by `on_spec_change: hold`.",
    examples: [
      ["Fleet status", "$0 fleet status"],
      ["As JSON", "$0 fleet status --json"],
      ["Keep watching, redrawn every 5 s", "$0 fleet status --watch --interval 5"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the status as JSON (with --watch, one document per line)" });
  watch = Option.Boolean("--watch,-w", false, { description: "Show it again every --interval seconds until Ctrl+C: redrawn in place on a terminal, one snapshot after another otherwise" });
  interval = Option.String("--interval", "2", { description: "Seconds between two looks with --watch (default 2)" });

  protected override checkOptions(): void {
    super.checkOptions();
    if (parseSeconds("--interval", this.interval) < 0.1) throw new UserError("--interval takes at least 0.1 seconds");
    if (this.interval !== "2" && !this.watch) throw new UserError("--interval is for --watch");
  }

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    if (!this.watch) return this.show(desired);
    // On a terminal, each look is drawn over the last, as watch(1) does: from the top, each line
    // cleared to its end, then what is left below. (A full-screen clear would push every look into
    // the scrollback of a terminal such as tmux, which keeps what a clear removes.)
    const terminal = (this.context.stdout as { isTTY?: boolean }).isTTY === true && !this.json;
    const ms = parseSeconds("--interval", this.interval) * 1000;
    return this.untilInterrupted(async (going) => {
      while (going()) {
        const head = `Every ${this.interval}s: mosaic fleet status (Ctrl+C to stop)\n`;
        if (terminal) {
          const frame: string[] = [head];
          await this.show(desired, { compactJson: true, out: (t) => frame.push(t) });
          this.context.stdout.write(`\x1b[H${frame.join("\n").split("\n").join("\x1b[K\n")}\x1b[K\n\x1b[J`);
        } else {
          if (!this.json) this.print(`--- ${new Date().toISOString()}\n${head}`);
          await this.show(desired, { compactJson: true });
        }
        for (let waited = 0; waited < ms && going(); waited += 100) await sleep(Math.min(100, ms - waited));
      }
      return 0;
    });
  }

  /** One look at the fleet, printed; 1 when it could not be seen. */
  private async show(desired: DesiredFleet, opts: { compactJson?: boolean; out?: (text: string) => void } = {}): Promise<number> {
    const print = opts.out ?? ((t: string) => this.print(t));
    const { observed, plan: p } = await this.snapshot(desired);
    const rows = fleetStatus(desired, observed, p, Math.floor(Date.now() / 1000));
    // Status is a report, not a check, but a report of a fleet it could not see is not one: exit 1.
    const blind = observationFailed(p);
    const failures = await this.unitFailures(rows, observed);
    if (this.json) {
      const diagnostics = p.diagnostics.map((d) => ({ severity: d.severity, code: d.code, address: d.address ?? null, message: d.message }));
      const doc = { ...statusJson(desired.socket, rows, failures), server_running: observed.serverRunning, observed: !blind, diagnostics };
      this.printJson(doc, { oneLine: opts.compactJson === true });
      return blind ? 1 : 0;
    }
    print(`Fleet on tmux socket "${desired.socket}"${observed.serverRunning ? "" : " (no server running)"}:\n`);
    print(renderStatusTable(rows, this.style));
    if (failures.length > 0) print(`\n${renderUnitFailures(failures, this.style)}`);
    const notes = renderDiagnostics(p.diagnostics, this.style);
    if (notes.length > 0) print(`\n${notes.join("\n")}`);
    return blind ? 1 : 0;
  }
}
