import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import type { SessionIdentity } from "./hash.js";

/**
 * A short digest of each field of a spec (`command`, `args`, `resume_args`,
 * `cwd`, `env.NAME`), stored on the session as `@mosaic-spec-fields`, so a
 * plan can name the field that changed without the session holding the
 * values themselves (environment values may be secrets). Display only: the
 * spec hash alone decides a replacement.
 */
export function specFieldDigests(spec: SessionIdentity): Record<string, string> {
  const out: Record<string, string> = {
    command: digest(spec.command),
    args: digest(spec.args),
    resume_args: digest(spec.resumeArgs),
    cwd: digest(spec.cwd),
  };
  for (const [key, value] of Object.entries(spec.env)) out[`env.${key}`] = digest(value);
  return out;
}

function digest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 8);
}

const ENTRY = /^(command|args|resume_args|cwd|env\.[A-Za-z_][A-Za-z0-9_]*)=([0-9a-f]{8})$/;

/** `args=0a1b2c3d,command=...`, sorted by field. */
export function formatSpecFields(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join(",");
}

/** The label read back, or null unless every entry has exactly the form formatSpecFields writes. */
export function parseSpecFields(label: string): Record<string, string> | null {
  if (label === "") return null;
  const out: Record<string, string> = {};
  for (const entry of label.split(",")) {
    const m = ENTRY.exec(entry);
    if (!m) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The fields whose digests differ, or that only one side has, sorted. */
export function changedSpecFields(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}
