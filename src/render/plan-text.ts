import { formatArgv, quoteForDisplay } from "./argv.js";
import { describeDeadPane } from "../observe/exit-status.js";
import { hasChanges, hasErrors, heldChanges, summarise } from "../plan/predicates.js";
import { changedSpecFields } from "../spec/fields.js";
import type { Plan, PlanAction, PlanDiagnostic, ResourceChange } from "../plan/types.js";
import { noColor, type Style } from "./style.js";

const SYMBOL: Record<PlanAction, string> = { create: "  +", update: "  ~", replace: "-/+", delete: "  -", noop: "   " };
const VERB: Record<PlanAction, string> = {
  create: "will be created",
  update: "will be updated in place",
  replace: "must be replaced",
  delete: "will be destroyed",
  noop: "is unchanged",
};

/**
 * The human plan, in Terraform's shape: a header per resource with its
 * reason, details underneath, then one summary line that scripts read.
 * Treat that line as an interface. Noops are hidden; `--json` has them.
 */
export function renderPlanText(plan: Plan, style: Style = noColor): string {
  const out: string[] = [];
  const shown = plan.changes.filter((c) => c.action !== "noop");
  if (shown.length > 0) {
    out.push(`Mosaic will perform the following actions on tmux socket "${plan.socket}":`, "");
    for (const c of shown) out.push(...renderChange(c, style), "");
  }
  out.push(...renderDiagnostics(plan.diagnostics, style));
  out.push(summaryLine(plan, style));
  return out.join("\n");
}

function renderChange(c: ResourceChange, style: Style): string[] {
  const paint = c.held ? style.dim : c.action === "create" ? style.green : c.action === "delete" ? style.red : style.yellow;
  const verb = c.held ? "must be replaced, but is held" : VERB[c.action];
  const lines = [`  ${style.bold(`# ${c.address} ${verb}`)} (${c.reason}: ${c.message})`];
  if (c.runsCaller) lines.push(`  # it runs this command, so it goes last, from a process outside its pane`);
  lines.push(`${paint(SYMBOL[c.action])} ${c.address}${c.held ? " (held)" : ""}`);
  const detail = (key: string, value: string) => lines.push(`      ${`${key}:`.padEnd(9)}${value}`);
  if (c.after) {
    detail("command", formatArgv(c.after.argv));
    detail("cwd", quoteForDisplay(c.after.cwd));
    const env = Object.entries(c.after.env).filter(([k]) => !k.startsWith("MOSAIC_"));
    if (env.length > 0) detail("env", env.map(([k, v]) => `${k}=${quoteForDisplay(v)}`).join(" "));
    if (c.after.launch === "new") detail("launch", "new conversation (without resume arguments)");
  }
  if (c.before) {
    detail("now", paneState(c.before));
    if (c.after && c.before.specHash !== c.after.specHash) {
      detail("spec", `${shortHash(c.before.specHash)} -> ${shortHash(c.after.specHash)}`);
      const fields = c.before.specFields ? changedSpecFields(c.before.specFields, c.after.specFields) : [];
      if (fields.length > 0) detail("changed", fields.join(", "));
    }
  }
  return lines;
}

function paneState(before: NonNullable<ResourceChange["before"]>): string {
  const pane = before.pane;
  const others = `${before.paneCount} ${before.paneCount === 1 ? "pane" : "panes"}`;
  if (!pane) return before.paneRecorded ? `the agent's pane is gone (${others} left)` : `no pane recorded as the agent's (${others})`;
  if (pane.dead) {
    const how = describeDeadPane(pane);
    return `dead${how ? `: ${how}` : ""}`;
  }
  return `pid ${pane.pid} (${quoteForDisplay(pane.currentCommand)}) in pane ${pane.id}`;
}

function shortHash(h: string | null): string {
  return h === null ? "(none)" : h.slice(0, 15);
}

export function renderDiagnostics(diagnostics: readonly PlanDiagnostic[], style: Style): string[] {
  const out: string[] = [];
  for (const d of diagnostics) out.push(`${d.severity === "error" ? style.red("Error:") : style.yellow("Warning:")} ${d.message}`);
  if (out.length > 0) out.push("");
  return out;
}

/**
 * The one line a script may read. "No changes." appears iff hasChanges()
 * is false; it claims the fleet matches only when nothing is held or wrong.
 */
export function summaryLine(plan: Plan, style: Style = noColor): string {
  const s = summarise(plan);
  const held = heldText(plan);
  const errors = hasErrors(plan) ? ` ${style.red("The plan has errors and cannot be applied.")}` : "";
  if (!hasChanges(plan)) {
    if (hasErrors(plan)) return `${style.green("No changes.")} ${style.red("The errors above keep the fleet from matching the roster.")}${held}`;
    if (held !== "") return `${style.green("No changes.")}${held}`;
    return `${style.green("No changes.")} ${plan.intent.target === "stopped" ? "The fleet is stopped." : "The fleet matches the roster."}`;
  }
  return `${style.bold("Plan:")} ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.${held}${errors}`;
}

/** " 1 replacement is held: alpha (spec-changed). Apply it with `mosaic agent reset alpha`." */
function heldText(plan: Plan): string {
  const held = heldChanges(plan);
  if (held.length === 0) return "";
  const names = held.map((c) => c.name).join(", ");
  const reasons = [...new Set(held.map((c) => c.reason))].join(", ");
  return held.length === 1
    ? ` 1 replacement is held: ${names} (${reasons}). Apply it with \`mosaic agent reset ${held[0]!.name}\`.`
    : ` ${held.length} replacements are held: ${names} (${reasons}). Apply each with \`mosaic agent reset NAME\`.`;
}

/**
 * One line per entry (`create tmux.session["a"] missing`): the compact form
 * the planner's fixtures assert on, since it reads like the plan a user sees.
 */
export function renderPlanLines(plan: Plan, opts: { includeNoops?: boolean } = {}): string[] {
  return plan.changes
    .filter((c) => opts.includeNoops || c.action !== "noop")
    .map((c) => `${c.action}${c.held ? " (held)" : ""} ${c.address} ${c.reason}`);
}
