import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/**
 * What identifies a running agent: change any of it and the agent must be
 * replaced to pick the change up. Display-only settings (enabled, submit
 * key, spec-change policy, grace period) are deliberately absent, so editing
 * them never restarts an agent. `resumeArgs` are included even though
 * `agent reset --new` launches without them once: the session records the
 * roster's spec, not the launch variant, so a fresh start is not drift.
 */
export interface SessionIdentity {
  readonly command: string;
  readonly args: readonly string[];
  readonly resumeArgs: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

export const SPEC_HASH_VERSION = "v1";
const SPEC_HASH_PATTERN = /^v1:[0-9a-f]{64}$/;

/** The one spec hash function; stored on sessions as `@mosaic-spec`. */
export function specHash(spec: SessionIdentity): string {
  const doc = {
    command: spec.command,
    args: [...spec.args],
    resume_args: [...spec.resumeArgs],
    cwd: spec.cwd,
    env: { ...spec.env },
  };
  return `${SPEC_HASH_VERSION}:${createHash("sha256").update(canonicalJson(doc)).digest("hex")}`;
}

/** A label written by this product, as opposed to noise or a hand-set value. */
export function isSpecHash(value: string): boolean {
  return SPEC_HASH_PATTERN.test(value);
}
