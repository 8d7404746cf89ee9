import { fileHash } from "../../identity/file-hash.js";
import type { ChangeOf } from "../../plan/kinds/kind.js";
import type { FileType } from "../../plan/types.js";
import { quoteForDisplay } from "../../text/quote.js";
import { fileDiff } from "../file-diff.js";
import { kindView } from "./kind.js";

/**
 * A file's view, the same for every file kind: its bytes summarised (size
 * and hash) and, where `textual` says it is text to read, shown as a
 * unified diff. A launch file's content and the built session tool are not.
 */
export function fileView<T extends FileType>(type: T, textual: (c: ChangeOf<T>) => boolean) {
  return kindView(type, {
    json: (c) => {
      const side = (f: { content: string; mode: number } | null) => f && { mode: f.mode, bytes: Buffer.byteLength(f.content), sha256: fileHash(f.content) };
      return {
        path: c.path,
        before: side(c.before),
        after: side(c.after),
        diff: textual(c) && c.action !== "noop" ? fileDiff(c.path, c.before?.content ?? null, c.after?.content ?? null, { before: c.before?.mode, after: c.after?.mode }) : null,
      };
    },
    text: (c, style) => ({
      details: [["path", quoteForDisplay(c.path)]],
      after: (c.diff ?? "")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => (line.startsWith("+") && !line.startsWith("+++") ? style.green(line) : line.startsWith("-") && !line.startsWith("---") ? style.red(line) : line)),
    }),
  });
}
