import { backUp, removeFileIfExists, writeFileAtomic } from "../adapters/fs.js";
import { forgetInstalled, recordInstalled } from "../adapters/install-record.js";
import { fileHash } from "../identity/file-hash.js";
import type { EffectResult, Effects } from "./effects.js";

export type FileEffects = Pick<Effects, "writeFile" | "removeFile">;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Writes of installed product files and launch files. A product file's
 * bytes are recorded once written, so a later update can tell mosaic's
 * own old version from an edit by hand. The record is written after the
 * file: a crash between the two makes the file look edited, which asks
 * for --force, never loses an edit.
 */
export function fileEffects(env: Env, now: () => Date = () => new Date()): FileEffects {
  const failed = (err: unknown): EffectResult => ({ ok: false, error: err instanceof Error ? err.message : String(err) });
  return {
    async writeFile(path, content, mode, opts): Promise<EffectResult> {
      try {
        let detail: string | undefined;
        if (opts.backup) {
          detail = `the old file is kept as ${await backUp(path, now())}`;
        }
        await writeFileAtomic(path, content, mode);
        if (opts.record) await recordInstalled(env, [{ path, hash: fileHash(content) }]);
        return detail === undefined ? { ok: true } : { ok: true, detail };
      } catch (err) {
        return failed(err);
      }
    },

    async removeFile(path, opts): Promise<EffectResult> {
      try {
        await removeFileIfExists(path);
        if (opts.record) await forgetInstalled(env, [path]);
        return { ok: true };
      } catch (err) {
        return failed(err);
      }
    },
  };
}
