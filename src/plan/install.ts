import type { ObservedFleet, ObservedInstall } from "../observe/types.js";
import { quoteForDisplay } from "../text/quote.js";
import { planFile, type FileTarget } from "./files.js";
import { compareUnitFiles } from "./unit-file.js";
import { daemonReload, reloadNeeded, reloadsFor } from "./manager.js";
import { linkChanges } from "./kinds/order.js";
import { fingerprint } from "./fingerprint.js";
import { MANAGER_ADDRESS } from "./addresses.js";
import type { PlanSettings } from "./settings.js";
import { PLAN_FORMAT_VERSION, type Plan, type PlanDiagnostic, type ResourceChange } from "./types.js";

/** The product files as planned resources: what this mosaic installs, where. */
export function installTargets(settings: PlanSettings): FileTarget[] {
  return settings.product.map((f) => ({ type: f.type, name: f.name, path: f.path, want: { content: f.content, mode: f.mode }, product: true }));
}

export interface InstallIntent {
  /** "install": `fleet install-systemd`; "update": `mosaic update`, which refreshes only what is installed. */
  readonly command: "install" | "update";
  /** Run daemon-reload after unit files change (install-systemd --reload; update does when a manager answers). */
  readonly reload: boolean;
  /** Replace product files edited by hand, keeping a backup. */
  readonly force: boolean;
}

/**
 * The plan for `fleet install-systemd` and `mosaic update`: the product's
 * unit and tool files, then daemon-reload when a unit file changed and it
 * was asked for. Never a roster or any other site file: only the files the
 * product ships are targets. `update` with no unit file installed plans nothing.
 */
export function planInstall(observed: ObservedInstall, settings: PlanSettings, intent: InstallIntent): Plan {
  const diagnostics: PlanDiagnostic[] = [];
  const targets = installTargets(settings);
  const unitsOnDisk = targets.filter((t) => t.type === "file.unit" && observed.files[t.path]?.kind === "file").map((t) => t.name);
  const changes: ResourceChange[] = [];
  // Installed means a unit file is there: the tools alone do nothing, and
  // the brief's rollback removes the units but leaves the tmux config,
  // which must not make `update` reinstall everything.
  if (intent.command === "install" || unitsOnDisk.length > 0) {
    for (const t of targets) {
      const c = planFile(t, observed.files[t.path] ?? { kind: "missing" }, { record: observed.installRecord, force: intent.force, recordProblem: observed.installRecordProblem }, diagnostics);
      if (c) changes.push(c);
    }
  }
  for (const c of changes) {
    if (c.type !== "file.unit" || c.action !== "update" || compareUnitFiles(c.before.content, c.after.content) !== "restart") continue;
    diagnostics.push({
      severity: "warning",
      code: "unit-change-pending",
      address: c.address,
      message: `${c.name} changes how its units start; running units keep what they started with until they next start (at boot, or \`mosaic fleet restart\` for the agents). Nothing restarts now.`,
    });
  }
  const unread = observed.unitPath !== null && !observed.unitPath.includes(settings.layout.unitDir);
  if (unread) {
    diagnostics.push({
      severity: "error",
      code: "unit-dir-unread",
      message: `systemd does not read unit files from ${quoteForDisplay(settings.layout.unitDir)} (is XDG_CONFIG_HOME set here but not in the user manager's environment?); it reads them from: ${observed.unitPath!.join(" ")}. Run with the manager's XDG_CONFIG_HOME (usually unset).`,
    });
  }
  const unitWrites = changes.filter((c) => c.type === "file.unit" && reloadsFor(c));
  if (intent.reload && observed.systemd === null && unitWrites.length > 0) {
    diagnostics.push({
      severity: "warning",
      code: "reload-impossible",
      message: `--reload: no systemd user manager answers here, so systemd was not told to re-read the unit files; where the user's manager runs, run: systemctl --user daemon-reload`,
    });
  }
  if (intent.reload && observed.systemd !== null) {
    // Only a unit file on disk can be stale or not loaded yet. With none
    // there (update before install-systemd, or after the rollback removed
    // them) systemd reports the holder not-found, and a reload would load
    // nothing: planning one made `update` fail its convergence check forever.
    const stale = unitsOnDisk.length > 0 ? reloadNeeded(observed, unitsOnDisk) : null;
    if (unitWrites.length > 0 || stale !== null) {
      const why = unitWrites.length > 0 ? `unit files change: ${unitWrites.map((c) => c.name).join(", ")}; systemd re-reads them, and no running unit restarts` : stale!;
      changes.push(daemonReload(why));
    }
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    socket: "",
    rosterPath: null,
    intent: { target: "roster", replace: [], replaceReason: "restart-requested", fresh: [] },
    backend: "systemd",
    backendWhy: intent.command === "install" ? "fleet install-systemd" : "mosaic update",
    changes: linkChanges(changes),
    diagnostics,
    observedFingerprint: fingerprint(observed),
  };
}

/** For any fleet plan: an installed drift check whose node or mosaic is gone fails every run of its timer, which reads as drift. */
export function staleDriftCheck(observed: ObservedFleet): PlanDiagnostic[] {
  const drift = observed.host.driftCheck;
  if (!drift || drift.runs) return [];
  return [{ severity: "warning", code: "drift-check-stale", message: `the drift check runs ${quoteForDisplay(drift.node)} ${quoteForDisplay(drift.mosaic)}, which is no longer there (mosaic upgraded into another prefix, or another node?), so every run of its timer fails as a drift would. Write it for this mosaic with: mosaic update` }];
}

/** Whether a daemon-reload is part of the plan (for the hint install-systemd prints otherwise). */
export function reloadsManager(plan: Plan): boolean {
  return plan.changes.some((c) => c.address === MANAGER_ADDRESS);
}

/**
 * For a fleet plan under systemd: installed product files that are missing
 * (the units would fail) or not this mosaic's (an upgrade not yet applied).
 */
export function outdatedInstall(observed: ObservedFleet, targets: readonly FileTarget[]): PlanDiagnostic[] {
  const missing = targets.filter((t) => observed.files[t.path]?.kind !== "file");
  const differ = targets.filter((t) => {
    const f = observed.files[t.path];
    return f?.kind === "file" && (f.content !== t.want?.content || f.mode !== t.want.mode);
  });
  const out: PlanDiagnostic[] = [];
  if (missing.length > 0) {
    out.push({ severity: "error", code: "install-incomplete", message: `the systemd units need files that are not installed: ${missing.map((t) => quoteForDisplay(t.path)).join(", ")}. Run: mosaic fleet install-systemd` });
  }
  if (differ.length > 0) {
    out.push({ severity: "warning", code: "install-outdated", message: `installed files differ from this mosaic's: ${differ.map((t) => quoteForDisplay(t.path)).join(", ")}. Review and refresh them with: mosaic update` });
  }
  const node = observed.host.toolsNode;
  if (node !== null && !node.runs) {
    out.push({ severity: "error", code: "install-node-missing", message: `the units run mosaic's session tool with the node recorded at install, ${quoteForDisplay(node.path)}, which is not an executable file (node moved, upgraded or removed?), so no unit could start or stop an agent. Record the node this mosaic runs on with: mosaic update` });
  }
  return out;
}
