import type { Plan, PlanDiagnosticCode, ResourceChange } from "./types.js";

/** Whether apply would do something for this change. Held replacements are shown, not applied. */
export function isApplied(change: ResourceChange): boolean {
  return change.action !== "noop" && !change.held;
}

/**
 * THE predicate for "there are changes". Exit code 2, the JSON `applyable`
 * field and the text "No changes." all come from here and nowhere else.
 */
export function hasChanges(plan: Plan): boolean {
  return plan.changes.some(isApplied);
}

export function hasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.severity === "error");
}

/** Errors that mean the fleet could not be observed at all, or not completely. */
const OBSERVATION_ERRORS = new Set<PlanDiagnosticCode>(["socket-path-too-long", "socket-dir-unsafe", "socket-file-lost", "unreadable-row", "global-label"]);

/** The plan was made without a full view of the fleet: nothing may be claimed from it. */
export function observationFailed(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.severity === "error" && OBSERVATION_ERRORS.has(d.code));
}

export function heldChanges(plan: Plan): ResourceChange[] {
  return plan.changes.filter((c) => c.held);
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly held: number;
}

/** Counts as Terraform counts them: a replace is one add and one destroy. */
export function summarise(plan: Plan): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const c of plan.changes) {
    if (!isApplied(c)) continue;
    if (c.action === "create" || c.action === "replace") add++;
    if (c.action === "delete" || c.action === "replace") destroy++;
    if (c.action === "update") change++;
  }
  return { add, change, destroy, held: heldChanges(plan).length };
}
