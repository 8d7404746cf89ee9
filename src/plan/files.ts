import type { ObservedFile } from "../observe/types.js";
import { fileHash } from "../identity/file-hash.js";
import { formatMode } from "../text/mode.js";
import { quoteForDisplay } from "../text/quote.js";
import { escapeRisky } from "../text/safe-text.js";
import { fileAddress } from "./addresses.js";
import type { FileChange, FileState, FileType, PlanDiagnostic, PlanReason } from "./types.js";

export interface FileTarget<T extends FileType = FileType> {
  readonly type: T;
  readonly name: string;
  readonly path: string;
  /** null: the file should not exist. */
  readonly want: FileState | null;
  /** A product file: its bytes are recorded when written, and an edit by hand is kept unless forced. */
  readonly product: boolean;
  /** Why it should not exist (for a delete). */
  readonly goneReason?: PlanReason;
}

export interface FileContext {
  /** sha256 of what mosaic last wrote, by path. */
  readonly record: Readonly<Record<string, string>>;
  /** Replace product files edited by hand (after a backup). */
  readonly force: boolean;
  /** Why `record` is empty because mosaic's record could not be read (missing, unusable); null or absent when it was read. */
  readonly recordProblem?: string | null;
}

/**
 * The planner for one file: bytes and mode. Pure. A product file whose
 * bytes are neither this mosaic's nor what mosaic last wrote there was
 * edited by hand: the change is shown, with its diff, and is a plan error
 * unless forced, when the old file is backed up first. Something that is
 * not a regular file is never replaced.
 */
export function planFile<T extends FileType>(t: FileTarget<T>, found: ObservedFile, ctx: FileContext, diagnostics: PlanDiagnostic[]): FileChange<T> | null {
  const base = { address: fileAddress(t.type, t.name), type: t.type, name: t.name, path: t.path, held: false, dependsOn: [], runsCaller: false } as const;
  if (found.kind === "other") {
    if (t.want === null) return null;
    const message =
      found.folder === undefined
        ? `${quoteForDisplay(t.path)} is ${found.what}, not a file mosaic wrote; move it away and plan again`
        : `${quoteForDisplay(t.path)} cannot be written: ${quoteForDisplay(found.folder)} is ${found.what}, not a folder; fix or remove it and plan again`;
    diagnostics.push({ severity: "error", code: "file-blocked", address: base.address, message });
    return null;
  }
  if (t.want === null) {
    if (found.kind === "missing") return null;
    const reason = t.goneReason ?? "not-in-roster";
    return { ...base, action: "delete", reason, message: "no longer needed", before: found, after: null, steps: [{ kind: "file.remove", path: t.path, record: t.product }] };
  }
  const write = (backup: boolean) => [{ kind: "file.write", path: t.path, content: t.want!.content, mode: t.want!.mode, backup, record: t.product }] as const;
  if (found.kind === "missing") return { ...base, action: "create", reason: "missing", message: "not there yet", before: null, after: t.want, steps: write(false) };
  const before: FileState = { content: found.content, mode: found.mode };
  if (found.content === t.want.content) {
    if (found.mode === t.want.mode) return { ...base, action: "noop", reason: "in-sync", message: "as this mosaic writes it", before, after: t.want, steps: [] };
    return { ...base, action: "update", reason: "mode-changed", message: `its mode is ${formatMode(found.mode)}, not ${formatMode(t.want.mode)}`, before, after: t.want, steps: write(false) };
  }
  const edited = t.product && ctx.record[t.path] !== fileHash(found.content);
  if (!edited) return { ...base, action: "update", reason: "content-changed", message: t.product ? "this mosaic ships different bytes" : "it is not the launch the roster now gives (the roster, the fleet it was written for, or the launch format of this mosaic changed)", before, after: t.want, steps: write(false) };
  // Without its record mosaic cannot tell an older mosaic's file from an
  // edit: say that, and how to go on, rather than claim an edit by hand.
  const unknown = t.product && ctx.recordProblem ? ctx.recordProblem : null;
  if (!ctx.force) {
    diagnostics.push({
      severity: "error",
      code: "file-edited",
      address: base.address,
      message:
        unknown === null
          ? `${quoteForDisplay(t.path)} is not what mosaic installed there (edited by hand, or installed by other means); the diff above shows what replacing it would change. Keep your edit elsewhere, or replace it with --force (the old file is kept as a backup beside it).`
          : `${quoteForDisplay(t.path)} differs from this mosaic's, and mosaic has no record of installing it (${escapeRisky(unknown)}), so it cannot tell an older mosaic's file from an edit by hand. Review the diff above: if it only brings the file up to this mosaic, replace it with --force (the old file is kept as a backup beside it).`,
    });
  }
  const why = unknown === null ? "edited by hand" : "not in mosaic's install record";
  return { ...base, action: "update", reason: "edited-by-hand", message: ctx.force ? `${why}; --force replaces it and keeps a backup` : `${why}; replaced only with --force`, before, after: t.want, steps: write(true) };
}
