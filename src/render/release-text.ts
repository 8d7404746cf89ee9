import type { PreflightReport } from "../release/run.js";
import { summary } from "../release/checklist.js";
import { escapeRisky } from "../text/safe-text.js";
import type { Style } from "./style.js";

/** The checklist as people read it: one line per check, PASS, FAIL or SKIP, with its evidence. */
export function renderPreflight(report: PreflightReport, style: Style): string {
  const mark = { pass: style.green("PASS"), fail: style.red("FAIL"), skip: style.yellow("SKIP") };
  const lines = [`Release preflight on scratch socket ${report.scratch.socket} (home ${report.scratch.home}):`, ""];
  for (const c of report.checks) lines.push(`${mark[c.status]}  ${c.name}: ${escapeRisky(c.evidence)}`);
  lines.push("");
  const d = report.dogfood;
  const who = d.command ?? "the profile's command";
  lines.push(
    !d.real
      ? "Real AI dogfood: not done: this run used the demo agent; name a real agent with --agent-command CMD (e.g. --agent-command pi)."
      : d.answered
        ? `Real AI dogfood: agent ${d.agent} (${who}) answered the task.`
        : `Real AI dogfood: not done: agent ${d.agent ?? "(none)"} (${who}) did not answer the task (see the message line).`,
  );
  for (const thing of report.scratch.left) lines.push(`${style.red("Left behind:")} ${escapeRisky(thing)}`);
  if (report.scratch.kept) lines.push(`Kept (--keep): ${report.scratch.dir}; its fleet runs with HOME=${report.scratch.home} TMUX_TMPDIR=${report.scratch.tmuxTmpdir} ${report.scratch.prefix}/bin/mosaic ... --roster ${report.scratch.roster}`);
  const s = summary(report.checks);
  lines.push(`${s.failed === 0 ? style.green("Preflight passed") : style.red("Preflight failed")}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped.`);
  return lines.join("\n");
}
