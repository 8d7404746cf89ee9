import { jsonDocument, type JsonDocument } from "../formats.js";
import { summary } from "../release/checklist.js";
import type { PreflightReport } from "../release/run.js";

/**
 * The preflight's JSON document, for a release script: the summary, every
 * checklist line, the dogfood answer, whether and where a signal stopped
 * it (`interruption`: the signal and the stage it came during) and the
 * scratch world (`scratch.left`: what clean-up found still there).
 */
export function preflightJson(report: PreflightReport): JsonDocument<"preflight"> {
  const s = summary(report.checks);
  return jsonDocument("preflight", {
    ok: s.failed === 0,
    ...s,
    checks: report.checks,
    dogfood: report.dogfood,
    interrupted: report.interrupted,
    interruption: report.interruption,
    scratch: report.scratch,
  });
}
