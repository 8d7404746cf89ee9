import { describeFactChange, type ResourceKind } from "./kind.js";
import { fileFacts } from "./file-facts.js";

/**
 * A kind of the product's installed files (unit files, tools): planned by
 * `fleet install-systemd` and `mosaic update` (install.ts), never by a
 * fleet plan; written before anything is removed.
 */
export function productFileKind<K extends "file.unit" | "file.tool">(type: K): ResourceKind<K> {
  return {
    type,
    facts: (observed) => fileFacts(observed, type),
    describeFact: describeFactChange,
    plan: () => [],
    dependsOn: [],
    edges: () => [],
    phase: (f) => (f.action === "delete" ? "remove" : "write"),
    agent: () => null,
    seen: () => true,
  };
}
