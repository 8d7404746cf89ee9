/**
 * The preflight's stages, in the order they run: the one list the runner
 * walks, and that the checklist's lines (text and JSON) are named after.
 * `doing` is the progress line's wording (null: none, a check that costs
 * nothing); `needs` are the stages that must have passed before it runs
 * (a stage that needs none of a failed one's output still runs).
 */
export const PREFLIGHT_STAGES = [
  { name: "package", doing: "package", needs: [] },
  { name: "install", doing: "install", needs: ["package"] },
  { name: "roster", doing: "roster", needs: ["install"] },
  { name: "lifecycle", doing: "start, restart, stop, start, start", needs: ["roster"] },
  // Checked after the lifecycle whether or not it passed: a failed one may still have addressed the default server.
  { name: "default tmux server", doing: null, needs: ["roster"] },
  { name: "verify", doing: "verify", needs: ["lifecycle"] },
  { name: "message", doing: "message", needs: ["lifecycle"] },
  { name: "update", doing: "update", needs: ["lifecycle"] },
] as const satisfies readonly { readonly name: string; readonly doing: string | null; readonly needs: readonly string[] }[];

export type PreflightStage = (typeof PREFLIGHT_STAGES)[number]["name"];

export const PREFLIGHT_STAGE_NAMES: readonly PreflightStage[] = PREFLIGHT_STAGES.map((s) => s.name);

export function isPreflightStage(name: string): name is PreflightStage {
  return (PREFLIGHT_STAGE_NAMES as readonly string[]).includes(name);
}

/**
 * A checklist line is a stage, or one of two that say why the stages
 * stopped: `interrupted` (a signal) and `preflight` (an unexpected error).
 */
export type PreflightCheckName = PreflightStage | "interrupted" | "preflight";

/** What a stage found: its verdict and the evidence for it. */
export interface StageOutcome {
  readonly status: "pass" | "fail";
  readonly evidence: string;
}

/** One line of the release preflight's checklist: what was checked, and the evidence either way. */
export interface PreflightCheck {
  readonly name: PreflightCheckName;
  readonly status: "pass" | "fail" | "skip";
  /** What was seen: pane text, pids, hashes, paths. */
  readonly evidence: string;
}

/**
 * The folders the brief requires in the package, each with at least one
 * file: the roster examples and schema, the user units, the unit tools, the
 * tmux config and message tools, and the session tool those scripts run.
 */
export const REQUIRED_ASSETS = ["framework/fleet", "framework/systemd/user", "framework/tools/fleet", "framework/tools/tmux", "framework/tools/lib"] as const;

/** The package stage's verdict: the package's file list (`npm pack --dry-run`) against REQUIRED_ASSETS. */
export function packageAssetsCheck(files: readonly string[]): StageOutcome {
  const counts = REQUIRED_ASSETS.map((dir) => [dir, files.filter((f) => f.startsWith(`${dir}/`)).length] as const);
  const missing = counts.filter(([, n]) => n === 0).map(([dir]) => dir);
  const listed = counts.map(([dir, n]) => `${dir} (${n} ${n === 1 ? "file" : "files"})`).join(", ");
  return missing.length === 0
    ? { status: "pass", evidence: `npm pack --dry-run ships ${listed}` }
    : { status: "fail", evidence: `npm pack --dry-run ships nothing under ${missing.join(", ")}: ${listed}` };
}

export function summary(checks: readonly PreflightCheck[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: checks.filter((c) => c.status === "pass").length,
    failed: checks.filter((c) => c.status === "fail").length,
    skipped: checks.filter((c) => c.status === "skip").length,
  };
}
