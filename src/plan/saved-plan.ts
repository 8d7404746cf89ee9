import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { ObservedFleet } from "../observe/types.js";
import { isBackendChoice, type BackendChoice, type DesiredFleet } from "../roster/types.js";
import { escapeRisky } from "../text/safe-text.js";
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
  /** Random: what an apply records as spent (adapters/plan-seal.ts), so the file applies once. */
  readonly id: string;
  /** The mosaic that made it: the executor of another version may read the plan differently. */
  readonly mosaic_version: string;
  readonly created_at: string;
  readonly roster: { readonly path: string; readonly fingerprint: string };
  /** The backend asked for (`--backend`, else the roster's): the plan after the apply is made with it. */
  readonly backend_choice: BackendChoice;
  readonly observed: ObservationFacts;
  readonly plan: Plan;
  /** HMAC-SHA256, with the user's plan key, of everything above: an edit to any field, by anyone without the key, is refused. */
  readonly seal: string;
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

export function savePlan(plan: Plan, desired: DesiredFleet, observed: ObservedFleet, meta: { mosaicVersion: string; now: Date; backendChoice: BackendChoice; id: string; key: Buffer }): SavedPlan {
  if (desired.rosterPath === null) throw new Error("only a plan of a roster can be saved");
  const body = jsonDocument("saved-plan", {
    id: meta.id,
    mosaic_version: meta.mosaicVersion,
    created_at: meta.now.toISOString(),
    roster: { path: desired.rosterPath, fingerprint: rosterFingerprint(desired) },
    backend_choice: meta.backendChoice,
    observed: observationFacts(observed),
    plan,
  });
  return { ...body, seal: sealOf(body, meta.key) };
}

/** The seal of a document: an HMAC of its canonical JSON without its `seal`. */
export function sealOf(doc: Record<string, unknown>, key: Buffer): string {
  const { seal: _ignored, ...rest } = doc;
  return `hmac-sha256:${createHmac("sha256", key).update(canonicalJson(rest)).digest("hex")}`;
}

function sealHolds(doc: Record<string, unknown>, key: Buffer): boolean {
  if (typeof doc.seal !== "string") return false;
  const want = Buffer.from(sealOf(doc, key));
  const got = Buffer.from(doc.seal);
  return want.length === got.length && timingSafeEqual(want, got);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The file's text as JSON, or why it is not a saved plan this mosaic can apply. */
export function readSavedPlan(text: string, mosaicVersion: string, key: Buffer | null): { ok: true; saved: SavedPlan } | { ok: false; problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: "it is not JSON; a saved plan is what `mosaic fleet plan --out FILE` writes" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { ok: false, problem: "it is not a saved plan (not a JSON object)" };
  const d = doc as Partial<SavedPlan> & Record<string, unknown>;
  // Nothing the file says is shown as it is: a field may carry escape sequences, and is cut short.
  const shown = (v: unknown) => escapeRisky(String(v).slice(0, 80));
  if (d.format_version !== SAVED_PLAN_FORMAT) {
    const seen = typeof d.format_version === "string" ? `format_version "${shown(d.format_version)}"` : "no format_version";
    return { ok: false, problem: `it has ${seen}; this mosaic reads "${SAVED_PLAN_FORMAT}" only` };
  }
  if (key === null) return { ok: false, problem: "no plan was ever saved here by this user (mosaic has no plan key in its state folder), so this one cannot be checked; make the plan again here" };
  if (!sealHolds(d, key)) return { ok: false, problem: "it was edited since mosaic saved it, or saved by another user or on another machine: its seal does not verify" };
  if (d.mosaic_version !== mosaicVersion) return { ok: false, problem: `it was made by mosaic ${shown(d.mosaic_version)}, and this is mosaic ${mosaicVersion}; make the plan again with this one` };
  const plan = d.plan as Partial<Plan> | undefined;
  const observed = d.observed as Partial<ObservationFacts> | undefined;
  const wellFormed =
    typeof d.id === "string" &&
    /^[0-9a-f]{32}$/.test(d.id) &&
    typeof d.created_at === "string" &&
    ISO_TIME.test(d.created_at) &&
    typeof d.roster?.path === "string" &&
    typeof d.roster.fingerprint === "string" &&
    typeof d.backend_choice === "string" &&
    isBackendChoice(d.backend_choice) &&
    plan?.rosterPath === d.roster.path &&
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

/** The whole plan as a saved plan is held to it: every field (socket, backend and why, intent, diagnostics, changes), less the pane's current command. */
export function comparablePlan(plan: Plan): string {
  return canonicalJson(JSON.parse(JSON.stringify(plan, (key, value: unknown) => (key === "currentCommand" ? undefined : value))));
}
