import type { ActionOutcome } from "../plan/outcome.js";
import type { PlanAction } from "../plan/types.js";
import { noColor, type Style } from "./style.js";

const DONE: Record<PlanAction, string> = { create: "created", update: "updated", replace: "replaced", delete: "destroyed", noop: "unchanged" };

/** One line per applied action: address, outcome, duration. */
export function renderOutcome(o: ActionOutcome, style: Style = noColor): string {
  const secs = `${(o.durationMs / 1000).toFixed(2)}s`;
  const a = o.change.address;
  switch (o.status) {
    case "done":
      return `${a}: ${style.green(DONE[o.change.action])} after ${secs}${o.detail ? ` (${o.detail})` : ""}`;
    case "failed":
      return `${a}: ${style.red(`${o.change.action} failed`)} after ${secs}: ${o.detail ?? "unknown error"}`;
    case "skipped":
      return `${a}: ${style.yellow("skipped")} because ${o.detail ?? "a dependency failed"}`;
  }
}
