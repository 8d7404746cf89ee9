/**
 * A pane's terminal, as its program set it: the one place `stty` runs.
 * A program that reads lines leaves the terminal in canonical mode (icanon),
 * where the kernel passes at most 4095 bytes of a line (N_TTY's buffer less
 * its newline) and drops the rest; a TUI turns it off and reads every byte.
 */
import { closeSync, constants, openSync, readSync } from "node:fs";
import { isatty } from "node:tty";
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

/**
 * Throw away whole lines typed before a question was asked (type-ahead):
 * a `y` typed while the plan was still being made must not answer a
 * question about a plan nobody has seen. Reads the terminal through a
 * file description of its own, non-blocking, until nothing is left. Node
 * has no tcflush(); a line not yet ended with Enter stays, and is joined to
 * the answer typed after the question (so a `y` alone then reads `y...`).
 */
export function discardTypeAhead(fd = 0): void {
  if (!isatty(fd)) return;
  let own: number;
  try {
    own = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return;
  }
  try {
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < 256; i++) if (readSync(own, buf, 0, buf.length, null) <= 0) break;
  } catch {
    // EAGAIN: nothing (more) was typed ahead
  } finally {
    closeSync(own);
  }
}
