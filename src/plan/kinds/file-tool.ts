import { describeFactChange, type ResourceKind } from "./kind.js";
import { fileFacts } from "./file-facts.js";

/** The product's installed tools, planned by `fleet install-systemd` and `mosaic update` (install.ts), never by a fleet plan. */
export const fileTool: ResourceKind<"file.tool"> = {
  type: "file.tool",
  facts: (observed) => fileFacts(observed, "file.tool"),
  describeFact: describeFactChange,
  plan: () => [],
  dependsOn: [],
  edges: () => [],
  phase: (f) => (f.action === "delete" ? "remove" : "write"),
  seen: () => true,
};
