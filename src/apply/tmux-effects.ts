import { readProcessStat, stopProcessGroup } from "../adapters/processes.js";
import { isDuplicateSession, isMissingSession, type TmuxClient } from "../adapters/tmux.js";
import type { SessionAfter } from "../plan/types.js";
import { launchLabels, sessionLaunch } from "../spec/launch.js";
import type { EffectResult, Effects } from "./effects.js";
import { parsePaneRows } from "../observe/parse-panes.js";
import { paneGroupVerdict } from "./pane-group.js";

export type TmuxEffects = Pick<Effects, "launch" | "label" | "stop" | "panesOf">;

/** What mosaic does with tmux itself: every step of the direct backend, and the holder's and `--new` launches under systemd. */
export function tmuxEffects(tmux: TmuxClient): TmuxEffects {
  return {
    async launch(after: SessionAfter): Promise<EffectResult> {
      const r = await tmux.newSession(sessionLaunch(after));
      if (r.ok && r.paneId) return { ok: true, paneId: r.paneId };
      if (isDuplicateSession(r.stderr)) return { ok: false, error: `a session named "${after.name}" appeared after the plan was made; left it alone` };
      return { ok: false, error: r.stderr.trim() || `tmux exited with ${r.exitCode}` };
    },

    async label(after: SessionAfter, paneId: string | null): Promise<EffectResult> {
      const r = await tmux.setLabels(after.name, launchLabels(after), paneId);
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() };
    },

    async stop(session: string, paneId: string | null, graceSeconds: number): Promise<EffectResult> {
      let detail: string | undefined;
      if (paneId) {
        const now = (await tmux.paneProcesses()).get(paneId);
        const verdict = paneGroupVerdict(now, now ? await readProcessStat(now.pid) : null);
        if (verdict.signal) {
          const how = await stopProcessGroup(verdict.pgid, graceSeconds * 1000);
          if (how === "killed") detail = `killed after ${graceSeconds}s grace`;
        } else if (now) {
          detail = `signalled nothing: ${verdict.why}`;
        }
      }
      const r = await tmux.killSession(session);
      if (!r.ok && !isMissingSession(r.stderr)) return { ok: false, error: r.stderr.trim() };
      return detail === undefined ? { ok: true } : { ok: true, detail };
    },

    async panesOf(sessions: readonly string[]): Promise<ReadonlyMap<string, string>> {
      const seen = parsePaneRows(tmux.socket, await tmux.listAllPanes());
      const wanted = new Set(sessions);
      return new Map(seen.sessions.flatMap((s) => (wanted.has(s.name) && s.pane && s.paneRecorded ? [[s.name, s.pane.id] as const] : [])));
    },
  };
}
