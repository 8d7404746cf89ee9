import { converged, type Applied } from "../plan/outcome.js";
import { isApplied, summarise } from "../plan/predicates.js";
import type { InstallIntent } from "../plan/install.js";
import type { PlanIntent } from "../plan/types.js";
import { noColor, type Style } from "./style.js";
import { escapeRisky } from "../text/safe-text.js";

/**
 * What still differs after an apply, one line per resource: failed and
 * skipped actions, agents that were not ready, changes the final
 * observation still asks for (what was handed off aside), and errors.
 */
export function remainingDifferences(result: Applied): string[] {
  const handed = new Set(result.handedOff);
  const lines = result.outcomes.filter((o) => o.status !== "done").map((o) => `${o.change.address}: ${o.status}: ${o.detail ?? ""}`.trimEnd());
  const seen = (address: string) => lines.some((l) => l.startsWith(`${address}:`));
  for (const n of result.notReady) {
    const address = result.plan.changes.find((c) => c.type === "tmux.session" && c.name === n.name)?.address ?? n.name;
    if (seen(address)) continue;
    lines.push(`${address}: not ready: ${n.problem}`);
    // Its last words, as the pane showed them (escaped: an agent writes what it likes there).
    for (const line of n.lastLines ?? []) lines.push(`  | ${escapeRisky(line)}`);
    if (n.lastLines !== undefined) lines.push(`  (all of it: mosaic agent tail ${n.name})`);
  }
  for (const c of result.remaining.changes.filter(isApplied)) {
    if (!seen(c.address) && !handed.has(c.address)) lines.push(`${c.address}: still needs ${c.action} (${c.reason}: ${c.message})`);
  }
  if (result.plan.changes.some((c) => c.runsCaller && isApplied(c)) && handed.size === 0) {
    lines.push("the change to the agent running this command was not handed off, because an earlier change failed");
  }
  for (const d of result.remaining.diagnostics.filter((x) => x.severity === "error")) lines.push(d.message);
  return lines;
}

/** What an apply reconciled to: the fleet, for an intent, or the installed product files. */
export type ApplyTarget = PlanIntent | InstallIntent;

function isInstall(target: ApplyTarget): target is InstallIntent {
  return "command" in target;
}

/** The command that carries an interrupted reconcile to its target. */
export function finishCommand(target: ApplyTarget): string {
  if (isInstall(target)) return target.command === "install" ? "mosaic fleet install-systemd" : "mosaic update";
  return target.target === "stopped" ? "mosaic fleet stop" : "mosaic fleet apply";
}

/**
 * The end of an apply: "Apply complete! ... Verified: ..." on stdout when it
 * converged (a claim backed by the observation made after every agent was
 * ready), else the differences on stderr. Pure, for golden files.
 */
export function renderApplyResult(result: Applied, target: ApplyTarget, style: Style = noColor): { readonly ok: boolean; readonly stdout: string; readonly stderr: string } {
  if (!converged(result)) {
    const done = result.outcomes.filter((o) => o.status === "done").length;
    const partway = result.outcomes.filter((o) => o.status === "skipped" && o.detail?.startsWith("interrupted after step")).length;
    const finish = finishCommand(target);
    const differs = isInstall(target) ? "the installed files do not match this mosaic yet" : "the fleet did not converge";
    const head = result.interrupted
      ? `\n${style.red("interrupted:")} ${done} of ${result.outcomes.length} changes done${partway > 0 ? `, ${partway} partway (stopped, not started again)` : ""}, then stopped as asked; run \`${finish}\` to finish. Still different:`
      : `\n${style.red("error:")} ${differs}; still different:`;
    const lines = [head, ...remainingDifferences(result).map((l) => `  ${l}`)];
    return { ok: false, stdout: "", stderr: lines.join("\n") };
  }
  // What was handed off has not happened yet: it is counted apart, never as done.
  const handed = new Set(result.handedOff);
  const sum = summarise({ ...result.plan, changes: result.plan.changes.filter((c) => !handed.has(c.address)) });
  const later = handed.size === 0 ? "" : ` Handed off, to be done once this command ends: ${[...handed].join(", ")}.`;
  const reached = isInstall(target) ? "the installed files match this mosaic" : fleetReached(result, target);
  const verified = result.handOffNote === null ? `Verified: ${reached}.` : `Verified: ${reached}, but for the agent running this command:\n${result.handOffNote}`;
  return { ok: true, stdout: `\n${style.green("Apply complete!")} Resources: ${sum.add} added, ${sum.change} changed, ${sum.destroy} destroyed.${later} ${verified}`, stderr: "" };
}

/** What a converged fleet apply saw in its final observation. */
function fleetReached(result: Applied, intent: PlanIntent): string {
  if (intent.only !== undefined) return `${intent.only.join(", ")} ${intent.target === "stopped" ? (intent.only.length === 1 ? "is" : "are") + " stopped" : (intent.only.length === 1 ? "matches" : "match") + " the roster"}; the rest of the fleet was left as it is`;
  if (intent.target !== "stopped") return "the fleet matches the roster";
  if (result.handedOff.length > 0) return "every session but those handed off is stopped";
  // A stop leaves sessions mosaic did not make; one may carry a roster agent's name (an agent can unlabel
  // its own session), so "the fleet is stopped" would claim more than was seen.
  const left = result.remaining.diagnostics.filter((d) => d.code === "unmanaged-session" || d.code === "name-taken");
  const leftNames = left.map((d) => /^tmux\.session\[(.*)\]$/.exec(d.address ?? "")?.[1]).filter((n): n is string => n !== undefined);
  return leftNames.length === 0 ? "the fleet is stopped" : `every session mosaic made is stopped. Left running, not labelled as mosaic's: ${leftNames.join(", ")}`;
}
