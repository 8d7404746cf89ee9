import { describeFactChange, type ResourceKind } from "./kind.js";
import { fileFacts } from "./file-facts.js";

/** The product's installed unit files, planned by `fleet install-systemd` and `mosaic update` (install.ts), never by a fleet plan. */
export const fileUnit: ResourceKind<"file.unit"> = {
  type: "file.unit",
  facts: (observed) => fileFacts(observed, "file.unit"),
  describeFact: describeFactChange,
  plan: () => [],
  dependsOn: [],
  edges: () => [],
  phase: (f) => (f.action === "delete" ? "remove" : "write"),
  seen: () => true,
};
