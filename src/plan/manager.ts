import type { ObservedFleet } from "../observe/types.js";
import { MANAGER_ADDRESS } from "./addresses.js";
import type { FileChange, ManagerChange } from "./types.js";

/**
 * Whether systemd must re-read the unit files: it says a loaded unit's file
 * changed on disk (NeedDaemonReload), or a fleet unit file is installed that
 * it has not loaded at all.
 */
export function reloadNeeded(observed: ObservedFleet, installedUnits: readonly string[]): string | null {
  const units = observed.systemd?.units ?? {};
  // Sorted: systemctl lists the units a glob matches in the manager's own order, and equal worlds must give equal plans.
  const stale = Object.values(units).filter((u) => u.needDaemonReload).map((u) => u.name).sort();
  if (stale.length > 0) return `systemd has not re-read ${stale.join(", ")} since it changed on disk`;
  const unloaded = installedUnits.filter((u) => units[u]?.loadState === "not-found");
  if (unloaded.length > 0) return `systemd has not loaded ${unloaded.join(", ")} yet`;
  return null;
}

export function daemonReload(message: string): ManagerChange {
  return { address: MANAGER_ADDRESS, type: "systemd.manager", name: "user", action: "update", reason: "unit-files-changed", message, held: false, before: null, after: null, dependsOn: [], runsCaller: false, steps: [{ kind: "daemon-reload" }] };
}

/** Whether systemd must re-read a unit file for this change: it is written (a new mode alone changes nothing systemd reads). */
export function reloadsFor(c: FileChange): boolean {
  return c.type === "file.unit" && c.action !== "noop" && !(c.action === "update" && c.reason === "mode-changed");
}
