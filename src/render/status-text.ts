import { jsonDocument } from "../formats.js";
import type { SessionStatus, UnitFailure, VerifyCheck } from "../status/status.js";
import { noColor, type Style } from "./style.js";
import { renderTable } from "./table.js";
import { describeDeadPane, signalName } from "../observe/exit-status.js";
import { quoteForDisplay } from "../text/quote.js";
import { escapeRisky } from "../text/safe-text.js";

export function formatUptime(seconds: number | null): string {
  if (seconds === null) return "-";
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(seconds / 86400)}d${String(Math.floor((seconds % 86400) / 3600)).padStart(2, "0")}h`;
}

function desiredWord(r: SessionStatus): string {
  if (!r.inRoster) return "absent";
  return r.wanted ? "running" : "disabled";
}

function sessionWord(r: SessionStatus): string {
  if (!r.session) return "no";
  if (r.managed) return "yes";
  return r.otherRoster ? "another roster's" : "not mosaic's";
}

function aliveWord(r: SessionStatus): string {
  if (!r.managed) return "-";
  if (r.alive) return "yes";
  // Compact: "dead (SIGKILL)", "dead (status 127)"; the plan explains the status.
  if (r.dead !== null) {
    if (r.dead.signal !== null) return `dead (${signalName(r.dead.signal) ?? `signal ${r.dead.signal}`})`;
    return r.dead.status !== null ? `dead (status ${r.dead.status})` : "dead";
  }
  return "no pane";
}

/**
 * What runs there: the roster's command, as the operator wrote it (a dead
 * pane's too), with the process tmux shows when that is another (`pi
 * (node)`, `./agent.sh (bash)`); a session the roster does not describe,
 * by its process alone.
 */
function commandWord(r: SessionStatus): string {
  const running = r.alive && r.command !== null ? quoteForDisplay(r.command) : null;
  if (r.rosterCommand === null) return running ?? "-";
  const named = quoteForDisplay(r.rosterCommand);
  return running === null || running === named || running === quoteForDisplay(r.rosterCommand.split("/").at(-1)!) ? named : `${named} (${running})`;
}

/** The status table: what the roster wants, what tmux shows, and the drift between. */
export function renderStatusTable(rows: readonly SessionStatus[], style: Style = noColor): string {
  // The UNIT column only under systemd, where each session has a unit.
  const units = rows.some((r) => r.unit !== null);
  const body = rows.map((r) => [
    escapeRisky(r.name),
    desiredWord(r),
    sessionWord(r),
    aliveWord(r),
    r.pid === null ? "-" : String(r.pid),
    commandWord(r),
    formatUptime(r.uptimeSeconds),
    ...(units ? [r.unit ?? "-"] : []),
    r.drift === null ? "-" : r.held ? style.yellow(`${r.drift} (held)`) : style.yellow(r.drift),
  ]);
  return renderTable(["NAME", "DESIRED", "SESSION", "ALIVE", "PID", "COMMAND", "UPTIME", ...(units ? ["UNIT"] : []), "DRIFT"], body);
}

/** A journal line as journalctl's short format prints it, in local time. */
function journalLine(l: UnitFailure["lines"][number]): string {
  const d = new Date(l.at);
  const two = (n: number) => String(n).padStart(2, "0");
  const at = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${at} ${escapeRisky(l.identifier)}${l.pid === null ? "" : `[${l.pid}]`}: ${escapeRisky(l.message)}`;
}

/** Each failed unit, and its last lines in the journal (what its scripts and the manager said), under the status table. */
export function renderUnitFailures(failures: readonly UnitFailure[], style: Style = noColor): string {
  return failures
    .map((f) => {
      const head = `${style.red(`${f.unit} failed`)}${f.result && f.result !== "success" ? ` (${escapeRisky(f.result)})` : ""}.`;
      const more = `journalctl --user -u ${f.unit}`;
      if (f.problem !== null) return `${head} Could not read the journal (${escapeRisky(f.problem)}); try: ${more}\n`;
      if (f.lines.length === 0) return `${head} The journal holds no lines of it here; try: ${more}\n`;
      return `${head} Its last lines in the journal:\n${f.lines.map((l) => `  ${journalLine(l)}\n`).join("")}`;
    })
    .join("");
}

export function statusJson(socket: string, rows: readonly SessionStatus[], failures: readonly UnitFailure[] = []) {
  const failed = new Map(failures.map((f) => [f.unit, f]));
  return jsonDocument("status", {
    socket,
    sessions: rows.map((r) => ({
      name: r.name,
      role: r.role,
      desired: desiredWord(r),
      session: r.session,
      managed: r.managed,
      other_roster: r.otherRoster,
      alive: r.alive,
      dead: r.dead === null ? null : describeDeadPane({ deadStatus: r.dead.status, deadSignal: r.dead.signal }) || "dead",
      pid: r.pid,
      pane_id: r.paneId,
      command: r.command,
      roster_command: r.rosterCommand,
      uptime_seconds: r.uptimeSeconds,
      unit: r.unit,
      unit_failure: r.failedUnit === null ? null : unitFailureJson(r.failedUnit, failed.get(r.failedUnit)),
      drift: r.drift,
      held: r.held,
    })),
  });
}

function unitFailureJson(unit: string, f: UnitFailure | undefined) {
  return {
    unit,
    result: f?.result ?? null,
    journal: (f?.lines ?? []).map((l) => ({ at: new Date(l.at).toISOString(), identifier: l.identifier, pid: l.pid, message: l.message })),
    journal_problem: f === undefined ? "not read" : f.problem,
  };
}

export function renderVerify(socket: string, checks: readonly VerifyCheck[], style: Style = noColor): string {
  const lines = checks.map((c) => (c.ok ? `${style.green("ok")}    ${c.name}` : `${style.red("FAIL")}  ${c.name}: ${c.problem}`));
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(
    failed === 0
      ? `\nVerified: ${checks.length} ${checks.length === 1 ? "session" : "sessions"} live on socket "${socket}".`
      : `\n${failed} of ${checks.length} checks failed on socket "${socket}".`,
  );
  return lines.join("\n");
}
