import { createHash } from "node:crypto";
import type { ObservedFleet } from "../observe/types.js";
import type { BackendChoice, DesiredFleet } from "../roster/types.js";
import { canonicalJson } from "../identity/canonical-json.js";
import { FORMAT_VERSIONS, jsonDocument } from "../formats.js";
import { factChanges, factHashes, fingerprintOf, type FactHashes } from "./fingerprint.js";
import { RESOURCE_TYPES } from "./kinds/index.js";
import { PLAN_FORMAT_VERSION, type Plan } from "./types.js";

/**
 * A plan saved by `fleet plan --out FILE` to be reviewed and applied later,
 * exactly as reviewed, by `fleet apply FILE`, as Terraform does with its
 * plan files. It holds the plan itself, and what it was made from: the
 * roster (as loaded and normalised, so a comment edit is no change), and
 * the observation (every fact a resource kind declares: sessions, units,
 * files, ...), each hashed on its own so a refusal can say which one
 * changed. An empty observation has a fingerprint like any other: a plan
 * made against nothing is refused once something is there (Terraform once
 * applied such a plan twice, its #24078).
 */
export const SAVED_PLAN_FORMAT = FORMAT_VERSIONS["saved-plan"];

export interface SavedPlan {
  readonly format_version: typeof SAVED_PLAN_FORMAT;
  /** The mosaic that made it: the executor of another version may read the plan differently. */
  readonly mosaic_version: string;
  readonly created_at: string;
  readonly roster: { readonly path: string; readonly fingerprint: string };
  /** The backend asked for (`--backend`, else the roster's): the plan after the apply is made with it. */
  readonly backend_choice: BackendChoice;
  readonly observed: ObservationFacts;
  readonly plan: Plan;
}

/** One hash per fact of the observation, by kind and subject, and the fingerprint of them all (Plan.observedFingerprint). */
export interface ObservationFacts {
  readonly fingerprint: string;
  readonly facts: FactHashes;
}

const hash = (value: unknown) => `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;

/** The roster as the planner sees it: what a saved plan must still be a plan of. */
export function rosterFingerprint(desired: DesiredFleet): string {
  return hash(desired);
}

export function observationFacts(observed: ObservedFleet): ObservationFacts {
  const facts = factHashes(observed);
  return { fingerprint: fingerprintOf(facts), facts };
}

export function savePlan(plan: Plan, desired: DesiredFleet, observed: ObservedFleet, meta: { mosaicVersion: string; now: Date; backendChoice: BackendChoice }): SavedPlan {
  if (desired.rosterPath === null) throw new Error("only a plan of a roster can be saved");
  return jsonDocument("saved-plan", {
    mosaic_version: meta.mosaicVersion,
    created_at: meta.now.toISOString(),
    roster: { path: desired.rosterPath, fingerprint: rosterFingerprint(desired) },
    backend_choice: meta.backendChoice,
    observed: observationFacts(observed),
    plan,
  });
}

/** The file's text as JSON, or why it is not a saved plan this mosaic can apply. */
export function readSavedPlan(text: string, mosaicVersion: string): { ok: true; saved: SavedPlan } | { ok: false; problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: "it is not JSON; a saved plan is what `mosaic fleet plan --out FILE` writes" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ok: false, problem: "it is not a saved plan (not a JSON object)" };
  const d = doc as Partial<SavedPlan> & Record<string, unknown>;
  if (d.format_version !== SAVED_PLAN_FORMAT) {
    const seen = typeof d.format_version === "string" ? `format_version "${d.format_version}"` : "no format_version";
    return { ok: false, problem: `it has ${seen}; this mosaic reads "${SAVED_PLAN_FORMAT}" only` };
  }
  if (d.mosaic_version !== mosaicVersion) return { ok: false, problem: `it was made by mosaic ${String(d.mosaic_version)}, and this is mosaic ${mosaicVersion}; make the plan again with this one` };
  const plan = d.plan as Partial<Plan> | undefined;
  const observed = d.observed as Partial<ObservationFacts> | undefined;
  const wellFormed =
    typeof d.created_at === "string" &&
    typeof d.roster?.path === "string" &&
    typeof d.roster.fingerprint === "string" &&
    typeof d.backend_choice === "string" &&
    typeof observed?.fingerprint === "string" &&
    wellFormedFacts(observed.facts) &&
    fingerprintOf(observed.facts) === observed.fingerprint &&
    plan?.formatVersion === PLAN_FORMAT_VERSION &&
    Array.isArray(plan.changes) &&
    Array.isArray(plan.diagnostics) &&
    plan.observedFingerprint === observed.fingerprint;
  if (!wellFormed) return { ok: false, problem: "it is damaged or was edited: fields a saved plan has are missing or disagree" };
  return { ok: true, saved: d as SavedPlan };
}

/**
 * What differs between the world the plan was made from and the world now,
 * one line each; empty when the plan still applies exactly as reviewed.
 */
export function staleness(saved: SavedPlan, desired: DesiredFleet, observed: ObservedFleet): string[] {
  const out: string[] = [];
  if (desired.rosterPath !== saved.roster.path) out.push(`the roster: the plan is of ${saved.roster.path}, not ${desired.rosterPath ?? "(none)"}`);
  else if (rosterFingerprint(desired) !== saved.roster.fingerprint) out.push(`the roster: ${saved.roster.path} was edited since the plan was made`);
  const now = observationFacts(observed);
  if (now.fingerprint === saved.observed.fingerprint) return out;
  out.push(...factChanges(saved.observed.facts, now.facts));
  if (out.length === 0) out.push("the observed fleet (its fingerprint differs)");
  return out;
}

/** One object of hashes by subject for every kind: what observationFacts writes. */
function wellFormedFacts(facts: unknown): facts is FactHashes {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  return isObject(facts) && RESOURCE_TYPES.every((type) => isObject(facts[type]) && Object.values(facts[type]).every((h) => typeof h === "string"));
}

/**
 * A plan's changes as a saved plan is held to them: everything but what
 * a change only shows, the pane's current command, which the agent
 * changes whenever it runs a tool, and which decides nothing.
 */
export function comparableChanges(changes: Plan["changes"]): string {
  return JSON.stringify(changes, (key, value: unknown) => (key === "currentCommand" ? undefined : value));
}
