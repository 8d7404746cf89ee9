import type { Plan, PlanAction, PlanDiagnostic } from "../plan/types.js";
import { planJson, type ChangeDocument, type PlanDocument } from "./plan-json.js";
import { viewOf } from "./kinds/index.js";
import { noColor, type Style } from "./style.js";
import { escapeRisky } from "../text/safe-text.js";
import { paint, renderAgentView, SYMBOL } from "./agent-view.js";

const VERB: Record<PlanAction, string> = {
  create: "will be created",
  update: "will be updated in place",
  replace: "must be replaced",
  delete: "will be destroyed",
  noop: "is unchanged",
};

/**
 * The human plan: by default one headline per agent (agent-view.ts); with
 * `detailed`, Terraform's shape: a header per resource with its reason,
 * details underneath. Then one summary line that scripts read.
 * Treat that line as an interface. Noops are hidden; `--json` has them.
 * Rendered from the very document `--json` prints (Terraform renders its
 * human plan from its JSON plan), so the two cannot tell different stories.
 */
export function renderPlanText(plan: Plan, style: Style = noColor, opts: { detailed?: boolean } = {}): string {
  const doc = planJson(plan);
  // A plan of the installed files alone has no agents to speak of: it is always shown whole.
  return renderPlanDocument(doc, style, { detailed: opts.detailed === true || doc.socket === "" });
}

/**
 * The agents' view (agent-view.ts), or with `detailed` every resource with
 * its details, tool calls and diff. From the document alone.
 */
export function renderPlanDocument(doc: PlanDocument, style: Style = noColor, opts: { detailed?: boolean } = {}): string {
  const out: string[] = [];
  const shown = doc.resource_changes.filter((c) => c.action !== "noop");
  const fleet = doc.socket !== "";
  let count: string | null = null;
  if (shown.length > 0) {
    // Who will make the calls below: the header of every plan that has any.
    if (fleet) out.push(`Backend: ${doc.backend} (${doc.backend_reason})`, "");
    out.push(fleet ? `Mosaic will perform the following actions on tmux socket "${doc.socket}":` : "Mosaic will perform the following actions:", "");
    if (opts.detailed === true || !fleet) for (const c of shown) out.push(...renderChange(c, style), "");
    else {
      const view = renderAgentView(doc, style);
      out.push(...view.lines, "", style.dim("Each resource, its tool calls and file diffs: add --detailed."), "");
      count = view.count;
    }
  }
  out.push(...renderDiagnostics(doc.diagnostics, style));
  if (count !== null) out.push(count);
  out.push(summaryLine(doc, style));
  return out.join("\n");
}

function renderChange(c: ChangeDocument, style: Style): string[] {
  const verb = c.held ? "must be replaced, but is held" : VERB[c.action];
  // A saved plan file is anyone's to edit, and `fleet show` renders it: every text it holds is shown escaped.
  const address = escapeRisky(c.address);
  const lines = [`  ${style.bold(`# ${address} ${verb}`)} (${escapeRisky(c.reason)}: ${escapeRisky(c.message)})`];
  if (c.runs_caller) lines.push(`  # it runs this command, so it goes last, from a process outside its pane`);
  lines.push(`${paint(c, style)(SYMBOL[c.action])} ${address}${c.held ? " (held)" : ""}`);
  const detail = (key: string, value: string) => lines.push(`      ${`${key}:`.padEnd(9)}${value}`);
  const own = viewOf(c.type).text(c, style);
  for (const [key, value] of own.details) detail(key, value);
  c.steps.forEach((s, i) => detail(i === 0 ? "run" : "then", escapeRisky(s.call)));
  if (c.depends_on.length > 0) detail("after", escapeRisky(c.depends_on.join(", ")));
  for (const line of own.after) lines.push(`      ${line}`);
  return lines;
}

export function renderDiagnostics(diagnostics: readonly Pick<PlanDiagnostic, "severity" | "message">[], style: Style): string[] {
  const out: string[] = [];
  for (const d of diagnostics) out.push(`${d.severity === "error" ? style.red("Error:") : style.yellow("Warning:")} ${escapeRisky(d.message)}`);
  if (out.length > 0) out.push("");
  return out;
}

/**
 * The one line a script may read. "No changes." appears iff the document's
 * has_changes is false (hasChanges(), the one predicate); it claims the
 * fleet matches only when nothing is held or wrong. A plan of
 * install-systemd or update (no socket) is about the installed files, not
 * a fleet and its roster, and says so.
 */
export function summaryLine(doc: PlanDocument, style: Style = noColor): string {
  const s = doc.summary;
  const held = heldText(doc);
  const errors = doc.errored ? ` ${style.red("The plan has errors and cannot be applied.")}` : "";
  if (!doc.has_changes) {
    const install = doc.socket === "";
    const goal = install ? "the installed files from matching this mosaic" : "the fleet from matching the roster";
    if (doc.errored) return `${style.green("No changes.")} ${style.red(`The errors above keep ${goal}.`)}${held}`;
    if (held !== "") return `${style.green("No changes.")}${held}`;
    // An install plan plans every product file (noops included) unless update found no unit file installed.
    if (install) return `${style.green("No changes.")} ${doc.resource_changes.length === 0 ? "Nothing is installed." : "The installed files match this mosaic."}`;
    const only = doc.intent.only;
    if (only !== undefined) return `${style.green("No changes.")} ${only.join(", ")} ${doc.intent.target === "stopped" ? (only.length === 1 ? "is stopped." : "are stopped.") : only.length === 1 ? "matches the roster." : "match the roster."}`;
    return `${style.green("No changes.")} ${doc.intent.target === "stopped" ? "The fleet is stopped." : "The fleet matches the roster."}`;
  }
  return `${style.bold("Plan:")} ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.${held}${errors}`;
}

/** " 1 replacement is held: alpha (spec-changed). Apply it with `mosaic agent reset alpha`." */
function heldText(doc: PlanDocument): string {
  const held = doc.resource_changes.filter((c) => c.held);
  if (held.length === 0) return "";
  const names = held.map((c) => c.name).join(", ");
  const reasons = [...new Set(held.map((c) => c.reason))].join(", ");
  return held.length === 1
    ? ` 1 replacement is held: ${names} (${reasons}). Apply it with \`mosaic agent reset ${held[0]!.name}\`.`
    : ` ${held.length} replacements are held: ${names} (${reasons}). Apply each with \`mosaic agent reset NAME\`.`;
}
