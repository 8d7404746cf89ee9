import type { ObservedSystemd } from "../observe/types.js";

/** What systemd's words for a unit's state mean to the planner, in one place. */

/** A unit's every state where no manager was asked or answered: the plan shows no state nobody saw, and is not complete. */
export const UNSEEN_STATE = "unknown";

/** Whether systemd counts the unit as running (a oneshot that ran and remains is `active`). */
export function unitActive(systemd: ObservedSystemd | null, unit: string): boolean {
  const s = systemd?.units[unit]?.activeState;
  return s === "active" || s === "activating" || s === "reloading";
}

/** systemd's words for a unit that comes back at login or boot. */
const ENABLED = new Set(["enabled", "enabled-runtime"]);

export function unitEnabled(systemd: ObservedSystemd | null, unit: string): boolean {
  return ENABLED.has(systemd?.units[unit]?.unitFileState ?? "");
}
