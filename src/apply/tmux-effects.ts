import { fileKind } from "../adapters/fs.js";
import { stopProcessGroup } from "../adapters/processes.js";
import { isDuplicateSession, isMissingSession, type TmuxClient } from "../adapters/tmux.js";
import type { SessionAfter, SessionBefore } from "../plan/types.js";
import { sessionLabels, type EffectResult, type Effects } from "./effects.js";

/** Effects on a real tmux server (the "direct" backend: no systemd). */
export function tmuxEffects(tmux: TmuxClient): Effects {
  return {
    async launch(after: SessionAfter): Promise<EffectResult> {
      // tmux falls back to $HOME for a missing -c directory without a word; refuse instead.
      if ((await fileKind(after.cwd)) !== "directory") return { ok: false, error: `working directory ${after.cwd} does not exist` };
      const r = await tmux.newSession({ name: after.name, argv: after.argv, cwd: after.cwd, env: after.env, labels: sessionLabels(after) });
      if (r.ok) return { ok: true };
      if (isDuplicateSession(r.stderr)) return { ok: true, detail: "already running" };
      return { ok: false, error: r.stderr.trim() || `tmux exited with ${r.exitCode}` };
    },

    async label(name: string, after: SessionAfter): Promise<EffectResult> {
      const r = await tmux.setLabels(name, sessionLabels(after));
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() };
    },

    async stop(before: SessionBefore, graceSeconds: number): Promise<EffectResult> {
      const how = before.dead ? "not-running" : await stopProcessGroup(before.pid, graceSeconds * 1000);
      const r = await tmux.killSession(before.name);
      if (!r.ok && !isMissingSession(r.stderr)) return { ok: false, error: r.stderr.trim() };
      return { ok: true, detail: how === "killed" ? `killed after ${graceSeconds}s grace` : undefined };
    },
  };
}
