import { readProcessStat, stopProcessGroups } from "../adapters/processes.js";
import { isDuplicateSession, type PaneProcess, type TmuxClient } from "../adapters/tmux.js";
import type { SessionAfter } from "../identity/launch.js";
import { launchLabels, sessionLaunch } from "../identity/launch.js";
import type { EffectResult, Effects, SessionStop } from "./effects.js";
import { parsePaneRows } from "../observe/parse-panes.js";
import { paneGroupVerdict } from "./pane-group.js";

export type TmuxEffects = Pick<Effects, "launchSessions" | "label" | "stopSessions" | "panesOf">;

/** What mosaic does with tmux itself: every step of the direct backend, and the holder's and `--new` launches under systemd. */
export function tmuxEffects(tmux: TmuxClient): TmuxEffects {
  return {
    async launchSessions(afters: readonly SessionAfter[]): Promise<ReadonlyMap<string, EffectResult>> {
      const started = await tmux.newSessions(afters.map(sessionLaunch));
      return new Map(
        afters.map((after): [string, EffectResult] => {
          const r = started.get(after.name);
          if (r === undefined) return [after.name, { ok: false, error: "tmux did not start it" }];
          if ("paneId" in r) return [after.name, { ok: true, paneId: r.paneId }];
          if (isDuplicateSession(r.failed.stderr)) return [after.name, { ok: false, error: `a session named "${after.name}" appeared after the plan was made; left it alone` }];
          return [after.name, { ok: false, error: r.failed.stderr.trim() || `tmux exited with ${r.failed.exitCode}` }];
        }),
      );
    },

    async label(after: SessionAfter, paneId: string | null): Promise<EffectResult> {
      const r = await tmux.setLabels(after.name, launchLabels(after), paneId);
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() };
    },

    async stopSessions(stops: readonly SessionStop[]): Promise<ReadonlyMap<string, EffectResult>> {
      // One fresh read of every pane's pid, then each pid's /proc entry: what may be signalled is decided here, not from the plan.
      const panes = stops.some((s) => s.paneId) ? await tmux.paneProcesses() : new Map<string, PaneProcess>();
      const details = new Map<string, string>();
      const groups: { session: string; pgid: number; graceSeconds: number }[] = [];
      const verdicts = stops.map((stop) => {
        const now = stop.paneId ? panes.get(stop.paneId) : undefined;
        return { stop, now, verdict: paneGroupVerdict(now, now ? readProcessStat(now.pid) : null) };
      });
      for (const { stop, now, verdict } of verdicts) {
        if (verdict.signal) groups.push({ session: stop.session, pgid: verdict.pgid, graceSeconds: stop.graceSeconds });
        else if (now) details.set(stop.session, `signalled nothing: ${verdict.why}`);
      }
      const ended = await stopProcessGroups(groups.map((g) => ({ pgid: g.pgid, graceMs: g.graceSeconds * 1000 })));
      for (const g of groups) if (ended.get(g.pgid) === "killed") details.set(g.session, `killed after ${g.graceSeconds}s grace`);
      const failed = await tmux.killSessions(stops.map((s) => s.session));
      return new Map(
        stops.map((s): [string, EffectResult] => {
          const error = failed.get(s.session);
          if (error !== undefined) return [s.session, { ok: false, error }];
          const detail = details.get(s.session);
          return [s.session, detail === undefined ? { ok: true } : { ok: true, detail }];
        }),
      );
    },

    async panesOf(sessions: readonly string[]): Promise<ReadonlyMap<string, string>> {
      const seen = parsePaneRows(tmux.socket, await tmux.listAllPanes());
      const wanted = new Set(sessions);
      return new Map(seen.sessions.flatMap((s) => (wanted.has(s.name) && s.pane && s.paneRecorded ? [[s.name, s.pane.id] as const] : [])));
    },
  };
}
