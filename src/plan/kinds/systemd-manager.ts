import { HOLDER_UNIT } from "../../identity/units.js";
import { daemonReload, reloadNeeded, reloadsFor } from "../manager.js";
import type { FactChange, KindFacts, ResourceKind } from "./kind.js";

const MANAGER_SUBJECT = "the systemd user manager";

/** The user manager itself: daemon-reload, between the unit files and the units. The decisions are manager.ts's. */
export const systemdManager: ResourceKind<"systemd.manager"> = {
  type: "systemd.manager",

  /** Whether a manager answered. What it said of each unit, a reload pending included, is the units' facts. */
  facts: (observed): KindFacts => (observed.systemd === null ? {} : { [MANAGER_SUBJECT]: true }),
  describeFact: (subject: string, change: FactChange) => `${subject} ${change === "appeared" ? "answers now" : "no longer answers"}`,

  plan: (ctx) => {
    const why = ctx.backend === "systemd" ? reloadNeeded(ctx.observed, [HOLDER_UNIT]) : null;
    return why === null ? [] : [daemonReload(why)];
  },

  /** systemd re-reads the unit files once they are written (install-systemd, update). */
  dependsOn: ["file.unit"],
  edges: (_change, plan) => plan.of("file.unit").filter(reloadsFor).map((c) => c.address),
  phase: () => "reload",
  agent: () => null,
  seen: () => true,
};
