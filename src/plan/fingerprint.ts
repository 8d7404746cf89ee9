import { createHash } from "node:crypto";
import type { ObservedFleet } from "../observe/types.js";
import { canonicalJson } from "../identity/canonical-json.js";
import { escapeRisky } from "../text/safe-text.js";
import { kindOf, RESOURCE_TYPES } from "./kinds/index.js";
import type { KindFacts } from "./kinds/kind.js";
import type { ResourceType } from "./types.js";

/**
 * The one fingerprint of an observation, which plans carry, saved plans
 * are checked against and install plans show: a hash of the facts every
 * kind declares (kinds/*.ts, `facts`), and of nothing else. A fact the
 * planner reads but no kind declared would let a saved plan apply to a
 * world it was not made from, then be refused for its actions with a
 * message that blames an edited file; so every fact is declared, and a
 * test holds the planner to them. An empty world has a fingerprint too, so
 * a plan saved from nothing is refused once something has appeared.
 */

/** Every kind's facts, by type. */
export type ObservedFacts = { readonly [K in ResourceType]: KindFacts };

/** One hash per subject, by kind: what a saved plan keeps of the observation, so a refusal can say what changed. */
export type FactHashes = { readonly [K in ResourceType]: Readonly<Record<string, string>> };

export function observedFacts(observed: ObservedFleet): ObservedFacts {
  return Object.fromEntries(RESOURCE_TYPES.map((type) => [type, kindOf(type).facts(observed)])) as ObservedFacts;
}

export function factHashes(observed: ObservedFleet): FactHashes {
  const facts = observedFacts(observed);
  return Object.fromEntries(RESOURCE_TYPES.map((type) => [type, Object.fromEntries(Object.entries(facts[type]).map(([subject, value]) => [subject, hashOf(value)]))])) as FactHashes;
}

export function fingerprint(observed: ObservedFleet): string {
  return fingerprintOf(factHashes(observed));
}

/** The fingerprint of facts already hashed (a saved plan's), to check they are the ones it claims. */
export function fingerprintOf(hashes: FactHashes): string {
  return hashOf(hashes);
}

/**
 * What differs between two observations' facts, one line each in each
 * kind's words (`session "alpha" is gone`); empty when none does. Subjects
 * may come from a saved plan, which is not trusted: shown escaped.
 */
export function factChanges(before: FactHashes, after: FactHashes): string[] {
  return RESOURCE_TYPES.flatMap((type) => {
    const was = before[type] ?? {};
    const now = after[type];
    const subjects = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    return subjects.flatMap((subject) => {
      const change = !Object.hasOwn(now, subject) ? "gone" : !Object.hasOwn(was, subject) ? "appeared" : was[subject] === now[subject] ? null : "changed";
      return change === null ? [] : [escapeRisky(kindOf(type).describeFact(subject, change))];
    });
  });
}

function hashOf(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(value)).digest("hex")}`;
}
