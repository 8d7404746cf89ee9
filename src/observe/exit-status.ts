/** `env` (which execs every agent) exits 127 when the command is not found and 126 when it cannot run it. */
const EXIT_HINTS: Record<number, string> = { 127: " (command not found on the tmux server's PATH)", 126: " (command not executable)" };

/** "status 127 (command not found ...)": a dead pane's exit status, explained where it can be. */
export function describeExitStatus(status: number): string {
  return `status ${status}${EXIT_HINTS[status] ?? ""}`;
}
