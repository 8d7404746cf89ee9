import { hasChanges, hasErrors, summarise } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";

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
    before: c.before && {
      managed: c.before.managed,
      spec_hash: c.before.specHash,
      launch: c.before.launch,
      pid: c.before.pid,
      dead: c.before.dead,
      dead_status: c.before.deadStatus,
      current_command: c.before.currentCommand,
      created_at: c.before.createdAt,
    },
    after: c.after && {
      role: c.after.role,
      argv: c.after.argv,
      cwd: c.after.cwd,
      env: c.after.env,
      spec_hash: c.after.specHash,
      launch: c.after.launch,
    },
  };
}
