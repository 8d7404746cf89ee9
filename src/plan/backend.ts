import type { ObservedFleet } from "../observe/types.js";
import { UNIT_FILES } from "../identity/units.js";
import { join } from "node:path";
import type { PlanSettings } from "./settings.js";
import type { Backend, PlanDiagnostic } from "./types.js";

export interface BackendDecision {
  readonly backend: Backend;
  /** Why, for the plan's header: "roster: backend: systemd", "auto: ...". */
  readonly why: string;
  readonly diagnostics: readonly PlanDiagnostic[];
}

/** Whether both unit files are in the user's unit folder (their content is `mosaic update`'s business). */
export function unitFilesInstalled(observed: ObservedFleet, settings: PlanSettings): boolean {
  return UNIT_FILES.every((u) => observed.files[join(settings.layout.unitDir, u)]?.kind === "file");
}

/**
 * The backend in use. `auto` takes systemd when a user manager answers and
 * the fleet's unit files are installed, else direct. Asking for systemd
 * where it cannot work is a plan error, not a silent fallback.
 */
export function decideBackend(observed: ObservedFleet, settings: PlanSettings): BackendDecision {
  const installed = unitFilesInstalled(observed, settings);
  const manager = observed.systemd !== null;
  const choice = settings.backend;
  const unused = (why: string): PlanDiagnostic[] => [{ severity: "warning", code: "units-not-used", message: why }];
  const enabledNote = "if they are enabled, they start this fleet at your next login from its launch files, which are kept current";
  if (choice === "direct") {
    return { backend: "direct", why: "backend: direct", diagnostics: installed ? unused(`the systemd units are installed, but this run uses backend direct and does not use them; where they run this fleet, ${enabledNote}. Disable them (systemctl --user disable ...) or use backend auto`) : [] };
  }
  if (choice === "systemd") {
    const diagnostics: PlanDiagnostic[] = [];
    if (!manager) {
      diagnostics.push({ severity: "error", code: "backend-unavailable", message: "backend: systemd, but no systemd user manager answers (`systemctl --user` cannot reach one); use the direct backend (--backend direct) or run where systemd --user runs" });
    } else if (!installed) {
      diagnostics.push({ severity: "error", code: "backend-unavailable", message: `backend: systemd, but the fleet's unit files are not installed in ${settings.layout.unitDir}; run: mosaic fleet install-systemd` });
    }
    return { backend: "systemd", why: "backend: systemd", diagnostics };
  }
  if (manager && installed) return { backend: "systemd", why: "auto: a systemd user manager answers and the fleet's units are installed", diagnostics: [] };
  const why = !installed ? "auto: the fleet's systemd units are not installed (mosaic fleet install-systemd)" : "auto: no systemd user manager answers";
  const half = UNIT_FILES.filter((u) => observed.files[join(settings.layout.unitDir, u)]?.kind === "file");
  const diagnostics = installed
    ? unused(`the fleet's systemd units are installed, but no systemd user manager answers here (is XDG_RUNTIME_DIR set?), so this run starts and stops sessions itself and cannot see the units: ${enabledNote}`)
    : half.length > 0
      ? unused(`only ${half.join(", ")} of the fleet's unit files is installed, so the units are not used; run mosaic fleet install-systemd to finish installing them, or remove it`)
      : [];
  return { backend: "direct", why, diagnostics };
}
