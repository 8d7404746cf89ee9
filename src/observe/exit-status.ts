import { constants } from "node:os";

/** `env` (which execs every agent) exits 127 when the command is not found and 126 when it cannot run it. */
const EXIT_HINTS: Record<number, string> = { 127: " (command not found)", 126: " (command not executable)" };

/** "status 127 (command not found ...)": a dead pane's exit status, explained where it can be. */
export function describeExitStatus(status: number): string {
  return `status ${status}${EXIT_HINTS[status] ?? ""}`;
}

/** "SIGKILL", or undefined for a number no signal has here. */
export function signalName(signal: number): string | undefined {
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
}

/** "signal 9 (SIGKILL)". */
export function describeSignal(signal: number): string {
  const name = signalName(signal);
  return `signal ${signal}${name ? ` (${name})` : ""}`;
}

/** How a dead pane ended: its exit status or the signal that killed it; "" when tmux did not say. */
export function describeDeadPane(pane: { readonly deadStatus: number | null; readonly deadSignal: number | null }): string {
  if (pane.deadSignal !== null) return describeSignal(pane.deadSignal);
  if (pane.deadStatus !== null) return describeExitStatus(pane.deadStatus);
  return "";
}
