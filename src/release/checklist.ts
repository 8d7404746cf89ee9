/** One line of the release preflight's checklist: what was checked, and the evidence either way. */
export interface PreflightCheck {
  readonly name: string;
  readonly status: "pass" | "fail" | "skip";
  /** What was seen: pane text, pids, hashes, paths. */
  readonly evidence: string;
}

/**
 * The folders the brief requires in the package, each with at least one
 * file: the roster examples and schema, the user units, the unit tools, the
 * tmux config and message tools.
 */
export const REQUIRED_ASSETS = ["framework/fleet", "framework/systemd/user", "framework/tools/fleet", "framework/tools/tmux"] as const;

/** The package's file list (`npm pack --dry-run`) against REQUIRED_ASSETS. */
export function packageAssetsCheck(files: readonly string[]): PreflightCheck {
  const counts = REQUIRED_ASSETS.map((dir) => [dir, files.filter((f) => f.startsWith(`${dir}/`)).length] as const);
  const missing = counts.filter(([, n]) => n === 0).map(([dir]) => dir);
  const listed = counts.map(([dir, n]) => `${dir} (${n} ${n === 1 ? "file" : "files"})`).join(", ");
  return missing.length === 0
    ? { name: "package", status: "pass", evidence: `npm pack --dry-run ships ${listed}` }
    : { name: "package", status: "fail", evidence: `npm pack --dry-run ships nothing under ${missing.join(", ")}: ${listed}` };
}

export function summary(checks: readonly PreflightCheck[]): { passed: number; failed: number; skipped: number } {
  return {
    passed: checks.filter((c) => c.status === "pass").length,
    failed: checks.filter((c) => c.status === "fail").length,
    skipped: checks.filter((c) => c.status === "skip").length,
  };
}
