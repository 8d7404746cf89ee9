import { hasChanges, hasErrors, summarise } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";
import { changedSpecFields } from "../spec/fields.js";

/** The plan as `--json` prints it; the human view is rendered from this same document. */
export type PlanDocument = ReturnType<typeof planJson>;
export type ChangeDocument = PlanDocument["resource_changes"][number];

/**
 * The machine-readable plan: a public, versioned contract (format_version).
 * Add fields freely; rename or remove only with a new major version.
 */
export function planJson(plan: Plan) {
  const changes = hasChanges(plan);
  const errored = hasErrors(plan);
  return {
    format_version: plan.formatVersion,
    socket: plan.socket,
    roster: plan.rosterPath,
    intent: { target: plan.intent.target, replace: plan.intent.replace, fresh: plan.intent.fresh },
    has_changes: changes,
    applyable: changes && !errored,
    errored,
    complete: true,
    observed_fingerprint: plan.observedFingerprint,
    summary: summarise(plan),
    resource_changes: plan.changes.map(changeJson),
    diagnostics: plan.diagnostics.map((d) => ({ severity: d.severity, code: d.code, address: d.address ?? null, message: d.message })),
  };
}

function changeJson(c: ResourceChange) {
  return {
    address: c.address,
    type: c.type,
    name: c.name,
    action: c.action,
    reason: c.reason,
    message: c.message,
    held: c.held,
    depends_on: c.dependsOn,
    stop_grace_seconds: c.stopGraceSeconds,
    runs_caller: c.runsCaller,
    changed_fields: c.before?.specFields && c.after && c.before.specHash !== c.after.specHash ? changedSpecFields(c.before.specFields, c.after.specFields) : [],
    before: c.before && {
      managed: c.before.managed,
      spec_hash: c.before.specHash,
      launch: c.before.launch,
      pane_id: c.before.pane?.id ?? null,
      pid: c.before.pane?.pid ?? null,
      dead: c.before.pane?.dead ?? null,
      dead_status: c.before.pane?.deadStatus ?? null,
      dead_signal: c.before.pane?.deadSignal ?? null,
      current_command: c.before.pane?.currentCommand ?? null,
      pane_count: c.before.paneCount,
      pane_recorded: c.before.paneRecorded,
      created_at: c.before.createdAt,
    },
    after: c.after && {
      role: c.after.role,
      argv: c.after.argv,
      cwd: c.after.cwd,
      env: c.after.env,
      spec_hash: c.after.specHash,
      launch: c.after.launch,
      ready_after_seconds: c.after.readyAfterSeconds,
    },
  };
}
