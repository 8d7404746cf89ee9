import { runInNewContext } from "node:vm";

/**
 * Reading a pane's text back (`agent tail`, `agent send --wait-for`). What
 * tmux captures ends in the screen's unused rows and pads lines with
 * spaces; neither is output.
 */

/**
 * A capture's lines, each without its trailing spaces, and without the
 * blank rows at the end. A dead pane's screen ends in tmux's own
 * `Pane is dead (status 7, ...)` on its last row, below the unused ones:
 * that line goes too (mosaic says how the pane ended itself), and so do the
 * blank rows it leaves above it.
 */
export function paneLines(captured: string, opts: { dead?: boolean } = {}): string[] {
  const lines = captured.replace(/\n$/, "").split("\n").map((l) => l.replace(/\s+$/, ""));
  const trim = () => {
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  };
  trim();
  if (opts.dead && /^Pane is dead( \(.*\))?$/.test(lines[lines.length - 1] ?? "")) {
    lines.pop();
    trim();
  }
  return lines;
}

export function lastLines(lines: readonly string[], n: number): string[] {
  return n <= 0 ? [] : lines.slice(-n);
}

/**
 * The lines of `after` that `before` did not show, in order, counting
 * repeats: a line shown twice before and three times now is new once.
 * Works for output that scrolls and for a TUI that redraws its screen alike,
 * where "the lines after the old ones" would not.
 */
export function newLines(before: readonly string[], after: readonly string[]): string[] {
  const seen = new Map<string, number>();
  for (const l of before) seen.set(l, (seen.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of after) {
    const n = seen.get(l) ?? 0;
    if (n > 0) seen.set(l, n - 1);
    else out.push(l);
  }
  return out;
}

/**
 * For `agent tail --follow`: the lines to print now, given what the pane
 * showed at the previous look and shows now. Output that scrolls is the
 * previous lines, perhaps shifted up by a few, then new ones: the smallest
 * shift that lines them up wins, and only what follows is printed. The last
 * line may have grown since (a prompt the agent was still writing): then it
 * is printed again as it is now. When nothing lines up (a TUI redrew its
 * screen, the pane was cleared), the lines that are new since the previous
 * look.
 */
export function followUp(previous: readonly string[], now: readonly string[]): string[] {
  const lastMayChange = previous.length - 1;
  for (let shift = 0; shift < previous.length; shift++) {
    if (alignedAt(previous, now, shift, previous.length)) return now.slice(previous.length - shift);
    if (lastMayChange - shift > 0 && alignedAt(previous, now, shift, lastMayChange)) return now.slice(lastMayChange - shift);
  }
  return newLines(previous, now);
}

/** previous[shift, end) is the start of `now`. */
function alignedAt(previous: readonly string[], now: readonly string[], shift: number, end: number): boolean {
  if (end - shift > now.length) return false;
  for (let i = shift; i < end; i++) if (previous[i] !== now[i - shift]) return false;
  return true;
}

/** What a prompt or a frame may put in front of a line the agent echoes: `> `, `│ `, spaces. */
const ECHO_PREFIX = /^[\s>|│›❯»]+/u;
const bare = (line: string) => line.replace(ECHO_PREFIX, "").trimEnd();

/**
 * Lines that only repeat the message as it was typed (the agent's input
 * line, or its transcript showing what was sent): they are not an answer.
 */
export function withoutEcho(lines: readonly string[], sent: string): string[] {
  const typed = new Set(sent.split("\n").map(bare).filter((l) => l !== ""));
  return lines.filter((l) => !typed.has(bare(l)));
}

export type MatchResult = { readonly kind: "match"; readonly line: string } | { readonly kind: "none" } | { readonly kind: "too-slow" };

/**
 * The first line `pattern` matches, giving up after `budgetMs`: a pattern
 * like `(a+)+b` can take longer than the age of the universe on one line,
 * and a plain RegExp call cannot be interrupted.
 */
export function firstMatch(pattern: RegExp, lines: readonly string[], budgetMs: number): MatchResult {
  try {
    const i = runInNewContext("lines.findIndex((l) => pattern.test(l))", { pattern, lines }, { timeout: Math.max(1, Math.floor(budgetMs)) }) as number;
    return i < 0 ? { kind: "none" } : { kind: "match", line: lines[i]! };
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { kind: "too-slow" };
    throw err;
  }
}
