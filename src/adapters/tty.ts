/**
 * A pane's terminal, as its program set it: the one place `stty` runs.
 * A program that reads lines leaves the terminal in canonical mode (icanon),
 * where the kernel passes at most 4095 bytes of a line (N_TTY's buffer less
 * its newline) and drops the rest; a TUI turns it off and reads every byte.
 */
import { runFile } from "./exec.js";

/** The most bytes of one line a program reading its terminal in canonical mode gets. */
export const CANONICAL_LINE_BYTES = 4095;

/** Whether the terminal at `tty` (a /dev/pts path tmux named) is in canonical mode; null when stty cannot say. */
export async function readsLines(tty: string): Promise<boolean | null> {
  if (!/^\/dev\/pts\/\d+$/.test(tty)) return null;
  const r = await runFile("stty", ["-F", tty, "-a"], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" } });
  if (r.exitCode !== 0) return null;
  if (/(^|\s)-icanon(\s|;|$)/.test(r.stdout)) return false;
  if (/(^|\s)icanon(\s|;|$)/.test(r.stdout)) return true;
  return null;
}
