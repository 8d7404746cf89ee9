import { readProcessStat, stopProcessGroup } from "../adapters/processes.js";
import { isDuplicateSession, isMissingSession, type TmuxClient } from "../adapters/tmux.js";
import type { SessionAfter, SessionBefore } from "../plan/types.js";
import { launchLabels, sessionLaunch } from "../spec/launch.js";
import type { EffectResult, Effects } from "./effects.js";
import { paneGroupVerdict } from "./pane-group.js";

/** Effects on a real tmux server (the "direct" backend: no systemd). */
export function tmuxEffects(tmux: TmuxClient): Effects {
  return {
    async launch(after: SessionAfter): Promise<EffectResult> {
      const r = await tmux.newSession(sessionLaunch(after));
      if (r.ok && r.paneId) return { ok: true, paneId: r.paneId };
      if (isDuplicateSession(r.stderr)) return { ok: false, error: `a session named "${after.name}" appeared after the plan was made; left it alone` };
      return { ok: false, error: r.stderr.trim() || `tmux exited with ${r.exitCode}` };
    },

    async label(after: SessionAfter, before: SessionBefore): Promise<EffectResult> {
      const r = await tmux.setLabels(after.name, launchLabels(after), before.pane?.id ?? null);
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() };
    },

    async stop(before: SessionBefore, graceSeconds: number): Promise<EffectResult> {
      let detail: string | undefined;
      if (before.pane) {
        const now = (await tmux.paneProcesses()).get(before.pane.id);
        const verdict = paneGroupVerdict(now, now ? await readProcessStat(now.pid) : null);
        if (verdict.signal) {
          const how = await stopProcessGroup(verdict.pgid, graceSeconds * 1000);
          if (how === "killed") detail = `killed after ${graceSeconds}s grace`;
        } else if (now) {
          detail = `signalled nothing: ${verdict.why}`;
        }
      }
      const r = await tmux.killSession(before.name);
      if (!r.ok && !isMissingSession(r.stderr)) return { ok: false, error: r.stderr.trim() };
      return detail === undefined ? { ok: true } : { ok: true, detail };
    },
  };
}
