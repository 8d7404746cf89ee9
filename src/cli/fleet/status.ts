import { Option } from "clipanion";
import { observationFailed } from "../../plan/predicates.js";
import { renderDiagnostics } from "../../render/plan-text.js";
import { renderStatusTable, renderUnitFailures, statusJson } from "../../render/status-text.js";
import { fleetStatus } from "../../status/status.js";
import { FleetCommand } from "../fleet-command.js";

export default class FleetStatusCommand extends FleetCommand {
  static override paths = [["fleet", "status"]];

  static override usage = FleetCommand.Usage({
    category: "Fleet",
    description: "Show every agent: wanted, running, alive, and its drift",
    details: "Reads the roster and one snapshot of the fleet's tmux socket (and, under systemd, of its units). Under each unit that failed it prints the unit's last lines in the journal, which say why. DRIFT names why the next apply would change an agent (`missing`, `pane-dead`, `spec-changed`, ...); `(held)` marks a replacement deferred by `on_spec_change: hold`.",
    examples: [
      ["Fleet status", "$0 fleet status"],
      ["As JSON", "$0 fleet status --json"],
    ],
  });

  json = Option.Boolean("--json", false, { description: "Print the status as JSON" });

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    const { observed, plan: p } = await this.snapshot(desired);
    const rows = fleetStatus(desired, observed, p, Math.floor(Date.now() / 1000));
    // Status is a report, not a check, but a report of a fleet it could not see is not one: exit 1.
    const blind = observationFailed(p);
    const failures = await this.unitFailures(rows, observed);
    if (this.json) {
      const diagnostics = p.diagnostics.map((d) => ({ severity: d.severity, code: d.code, address: d.address ?? null, message: d.message }));
      this.printJson({ ...statusJson(desired.socket, rows, failures), server_running: observed.serverRunning, observed: !blind, diagnostics });
      return blind ? 1 : 0;
    }
    this.print(`Fleet on tmux socket "${desired.socket}"${observed.serverRunning ? "" : " (no server running)"}:\n`);
    this.print(renderStatusTable(rows, this.style));
    if (failures.length > 0) this.print(`\n${renderUnitFailures(failures, this.style)}`);
    const notes = renderDiagnostics(p.diagnostics, this.style);
    if (notes.length > 0) this.print(`\n${notes.join("\n")}`);
    return blind ? 1 : 0;
  }
}

