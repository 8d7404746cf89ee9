import { hasChanges, hasErrors, summarise } from "../plan/predicates.js";
import type { Plan, ResourceChange } from "../plan/types.js";
import { commonEntry } from "./kinds/kind.js";
import { planComplete } from "../plan/complete.js";
import { jsonDocument } from "../formats.js";
import { viewOf, type ChangeDocument } from "./kinds/index.js";

/** The plan as `--json` prints it; the human view is rendered from this same document. */
export type PlanDocument = ReturnType<typeof planJson>;
export type { ChangeDocument };

/**
 * The machine-readable plan: a public, versioned contract (format_version,
 * src/formats.ts). Add fields freely; rename or remove only with a new
 * major version.
 */
export function planJson(plan: Plan) {
  const changes = hasChanges(plan);
  const errored = hasErrors(plan);
  return jsonDocument("plan", {
    socket: plan.socket,
    roster: plan.rosterPath,
    backend: plan.backend,
    backend_reason: plan.backendWhy,
    intent: { target: plan.intent.target, replace: plan.intent.replace, fresh: plan.intent.fresh, ...(plan.intent.only === undefined ? {} : { only: plan.intent.only }) },
    has_changes: changes,
    applyable: changes && !errored,
    errored,
    complete: planComplete(plan),
    observed_fingerprint: plan.observedFingerprint,
    summary: summarise(plan),
    resource_changes: plan.changes.map(changeJson),
    diagnostics: plan.diagnostics.map((d) => ({ severity: d.severity, code: d.code, address: d.address ?? null, message: d.message })),
  });
}

/** An entry: what every entry has, then its kind's own fields, from its kind's view. */
function changeJson(c: ResourceChange): ChangeDocument {
  // The compiler cannot pair a change's type with its view's document; viewOf(c.type) is that pair.
  return { ...commonEntry(c), ...viewOf(c.type).json(c) } as ChangeDocument;
}
