/**
 * The change to one product file as a unified diff, for the plan to show
 * before anything is written. A file's content is not mosaic's to trust
 * (a hand-edited unit, a tool from an older release): every line goes
 * through escapeRisky, so no byte of it can move the cursor, recolour or
 * reorder the terminal the plan is confirmed from. Pure; colour, if any,
 * is the caller's, by each line's first character.
 */
import { formatPatch, structuredPatch } from "diff";
import { escapeRisky } from "../text/safe-text.js";
import { formatMode } from "../text/mode.js";

export interface FileModes {
  readonly before?: number;
  readonly after?: number;
}

const HUNKS_ONLY = { includeIndex: false, includeUnderline: false, includeFileHeaders: false };

/**
 * `--- a/LABEL` / `+++ b/LABEL` (`/dev/null` for the side that does not
 * exist; an absolute LABEL loses its leading slash, as in git's
 * `--- a/tmp/x`, rather than reading `a//tmp/x`), then `mode 0644 -> 0755` when both modes are known and differ
 * (`mode 0755` for a file created with a known mode), then the hunks with
 * three lines of context, each line ending in a newline. A missing
 * newline at the end of a side shows as diff's own "\ No newline at end
 * of file". "" when nothing differs.
 */
export function fileDiff(label: string, before: string | null, after: string | null, modes: FileModes = {}): string {
  const modeLine = modeChange(before, after, modes);
  if (before === after && modeLine === undefined) return "";
  const name = escapeRisky(label.replace(/^\/+/, ""));
  const lines = [before === null ? "--- /dev/null" : `--- a/${name}`, after === null ? "+++ /dev/null" : `+++ b/${name}`];
  if (modeLine !== undefined) lines.push(modeLine);
  const patch = before === after ? undefined : structuredPatch(name, name, before ?? "", after ?? "", undefined, undefined, { context: 3 });
  // An empty file created or deleted has no hunk at all; formatPatch would still print a blank line.
  if (patch !== undefined && patch.hunks.length > 0) {
    // formatPatch writes GNU's hunk headers (-0,0 for an empty side); its text ends in a newline.
    const hunks = formatPatch(patch, HUNKS_ONLY).split("\n");
    if (hunks.at(-1) === "") hunks.pop();
    lines.push(...hunks);
  }
  return `${lines.map(escapeRisky).join("\n")}\n`;
}

function modeChange(before: string | null, after: string | null, modes: FileModes): string | undefined {
  if (after === null) return undefined;
  if (before === null) return modes.after === undefined ? undefined : `mode ${formatMode(modes.after)}`;
  if (modes.before === undefined || modes.after === undefined || modes.before === modes.after) return undefined;
  return `mode ${formatMode(modes.before)} -> ${formatMode(modes.after)}`;
}
