import { changedSpecFields } from "../../identity/fields.js";
import { describeDeadPane } from "../../observe/exit-status.js";
import { quoteForDisplay } from "../../text/quote.js";
import { formatArgv } from "../argv.js";
import { kindView } from "./kind.js";

/** A session: the pane it stops (before) and the launch it makes (after); the spec fields that changed. */
export const tmuxSessionView = kindView("tmux.session", {
  json: (c) => ({
    stop_grace_seconds: c.stopGraceSeconds,
    changed_fields: c.before?.specFields && c.after && c.before.specHash !== c.after.specHash ? changedSpecFields(c.before.specFields, c.after.specFields) : [],
    before: c.before && {
      managed: c.before.managed,
      spec_hash: c.before.specHash,
      launch: c.before.launch,
      pane_id: c.before.pane?.id ?? null,
      pid: c.before.pane?.pid ?? null,
      dead: c.before.pane?.dead ?? null,
      dead_status: c.before.pane?.deadStatus ?? null,
      dead_signal: c.before.pane?.deadSignal ?? null,
      current_command: c.before.pane?.currentCommand ?? null,
      pane_count: c.before.paneCount,
      pane_recorded: c.before.paneRecorded,
      created_at: c.before.createdAt,
    },
    after: c.after && {
      role: c.after.role,
      argv: c.after.argv,
      cwd: c.after.cwd,
      // Names only: a value may be a secret, and plans are mailed by cron and kept in CI logs. changed_fields says which changed.
      env_keys: Object.keys(c.after.env).sort(),
      spec_hash: c.after.specHash,
      launch: c.after.launch,
      ready_after_seconds: c.after.readyAfterSeconds,
    },
  }),

  text: (c) => {
    const details: [string, string][] = [];
    if (c.after) {
      details.push(["command", formatArgv(c.after.argv)], ["cwd", quoteForDisplay(c.after.cwd)]);
      const env = c.after.env_keys.filter((k) => !k.startsWith("MOSAIC_"));
      if (env.length > 0) details.push(["env", `${env.join(" ")} (values not shown)`]);
      if (c.after.launch === "new") details.push(["launch", "new conversation (without resume arguments)"]);
    }
    if (c.before) {
      details.push(["now", paneState(c.before)]);
      if (c.after && c.before.spec_hash !== c.after.spec_hash) {
        details.push(["spec", `${shortHash(c.before.spec_hash)} -> ${shortHash(c.after.spec_hash)}`]);
        if (c.changed_fields.length > 0) details.push(["changed", c.changed_fields.join(", ")]);
      }
    }
    return { details, after: [] };
  },
});

type Before = NonNullable<ReturnType<typeof tmuxSessionView.json>["before"]>;

function paneState(before: Before): string {
  const others = `${before.pane_count} ${before.pane_count === 1 ? "pane" : "panes"}`;
  if (before.pane_id === null) return before.pane_recorded ? `the agent's pane is gone (${others} left)` : `no pane recorded as the agent's (${others})`;
  if (before.dead) {
    const how = describeDeadPane({ deadStatus: before.dead_status, deadSignal: before.dead_signal });
    return `dead${how ? `: ${how}` : ""}`;
  }
  return `pid ${before.pid} (${quoteForDisplay(before.current_command ?? "")}) in pane ${before.pane_id}`;
}

function shortHash(h: string | null): string {
  return h === null ? "(none)" : h.slice(0, 15);
}
