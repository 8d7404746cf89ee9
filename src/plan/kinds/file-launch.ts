import { unitOfSession } from "../../identity/units.js";
import { HOLDER_SESSION } from "../../roster/types.js";
import { sessionAddress, unitAddress } from "../addresses.js";
import { unitFilesInstalled } from "../backend.js";
import { planLaunchFiles } from "../launch-files.js";
import type { FileChange } from "../types.js";
import { describeFactChange, type ResourceKind } from "./kind.js";
import { fileFacts } from "./file-facts.js";

/** One launch file per session the roster runs, which its unit starts from. The decisions are launch-files.ts's. */
export const fileLaunch: ResourceKind<"file.launch"> = {
  type: "file.launch",
  facts: (observed) => fileFacts(observed, "file.launch"),
  describeFact: describeFactChange,

  // Kept current whenever the units are installed, whatever the backend: they are what the units start at the next login.
  plan: (ctx) =>
    unitFilesInstalled(ctx.observed, ctx.settings) && ctx.intent.target === "roster"
      ? planLaunchFiles(ctx.desired, ctx.observed, ctx.settings.layout, ctx.fleet.rosterId, ctx.diagnostics, ctx.backend === "systemd").filter(isLaunchFile)
      : [],

  dependsOn: ["systemd.unit", "tmux.session"],
  /** A launch file goes after its unit stopped and was disabled, and its session stopped: the unit's ExecStop reads it. */
  edges: (f, plan) => {
    if (f.action !== "delete") return [];
    return [unitAddress(unitOfSession(f.name)), sessionAddress(f.name)].filter((a) => {
      const c = plan.at(a);
      return c !== undefined && c.action !== "noop";
    });
  },
  phase: (f) => (f.action === "delete" ? "remove" : "write"),
  agent: (f) => (f.name === HOLDER_SESSION ? null : f.name),
  seen: () => true,
};

/** Every change planLaunchFiles makes is one; said to the compiler, which sees only files. */
function isLaunchFile(c: FileChange): c is FileChange<"file.launch"> {
  return c.type === "file.launch";
}
