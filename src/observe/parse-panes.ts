import { FIELD_SEPARATOR, PANE_FIELDS, type PaneField } from "../adapters/tmux.js";
import { parseLegacyLabels, parseSessionLabel, type ReadLabels } from "../identity/session-label.js";
import type { ObservedPane, ObservedTmux, ObservedSession } from "./types.js";

type PaneRow = Record<PaneField, string>;

interface ParsedRow {
  readonly session: string;
  readonly window: number;
  readonly index: number;
  readonly pane: ObservedPane;
  readonly createdAt: number;
  readonly labels: PaneRow;
}

/**
 * `list-panes -a` rows (PANE_FIELDS) to sessions. A session's agent is the
 * pane whose id it recorded at launch; other panes a user split off are
 * counted, never managed, and a pane in a window linked into other sessions
 * too is none of theirs. Labels are trusted only in the exact form this
 * product writes: anyone with access to the socket can set user options.
 */
export function parsePaneRows(socket: string, rows: readonly string[] | null): ObservedTmux {
  if (rows === null) return { socket, serverRunning: false, serverVersion: null, sessions: [], unreadable: [], globalLabels: [] };
  const unreadable: string[] = [];
  const globalLabels = new Set<string>();
  const bySession = new Map<string, ParsedRow[]>();
  for (const line of rows) {
    if (line === "") continue;
    // A label set for every session at once (show-options before list-panes): a row always has tabs.
    const global = /^(@mosaic(?:-[a-z-]+)?) /.exec(line);
    if (global && !line.includes(FIELD_SEPARATOR)) {
      globalLabels.add(global[1]!);
      continue;
    }
    const row = parseRow(line);
    if (!row) {
      unreadable.push(line);
      continue;
    }
    const list = bySession.get(row.session) ?? [];
    list.push(row);
    bySession.set(row.session, list);
  }
  // A window linked into several sessions lists its panes under each of them.
  const sessionsOfPane = new Map<string, string[]>();
  for (const [name, panes] of bySession) {
    for (const p of panes) sessionsOfPane.set(p.pane.id, [...(sessionsOfPane.get(p.pane.id) ?? []), name]);
  }
  const sessions: ObservedSession[] = [];
  let serverVersion: string | null = null;
  for (const [name, panes] of bySession) {
    panes.sort((a, b) => a.window - b.window || a.index - b.index);
    const row = panes[0]!.labels; // session options: the same on every row of the session
    if (/^[0-9][0-9a-z.-]*$/.test(row.server_version)) serverVersion = row.server_version;
    const labels = readLabels(row);
    const recorded = labels.pane;
    const claimed = recorded !== null ? panes.find((p) => p.pane.id === recorded) : panes.length === 1 ? panes[0] : undefined;
    // A pane that is in other sessions too is no one's own: an agent could link another's window into
    // its session and record that pane, and then a stop of it would signal the other agent.
    const alsoIn = claimed ? [...new Set(sessionsOfPane.get(claimed.pane.id))].sort() : [];
    const own = alsoIn.length > 1 ? undefined : claimed;
    sessions.push({
      name,
      managed: labels.managed,
      specHash: labels.spec,
      specFields: labels.specFields,
      launch: labels.launch,
      createdAt: panes[0]!.createdAt,
      pane: own?.pane ?? null,
      paneRecorded: recorded !== null,
      paneCount: panes.length,
      rosterId: labels.roster,
      ...(alsoIn.length > 1 ? { sharedPane: { id: claimed!.pane.id, sessions: alsoIn } } : {}),
    });
  }
  sessions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { socket, serverRunning: true, serverVersion, sessions, unreadable, globalLabels: [...globalLabels].sort() };
}

/** `@mosaic`, or for a session an older mosaic started, its separate labels. */
function readLabels(row: PaneRow): ReadLabels {
  if (row.label !== "") return parseSessionLabel(row.label);
  return parseLegacyLabels({ managed: row.managed, spec: row.spec, specFields: row.spec_fields, launch: row.launch, pane: row.pane, roster: row.roster });
}

function parseRow(line: string): ParsedRow | null {
  const values = line.split(FIELD_SEPARATOR);
  if (values.length !== PANE_FIELDS.length) return null;
  const f = Object.fromEntries(PANE_FIELDS.map(([name], i) => [name, values[i]!])) as PaneRow;
  const int = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);
  const optionalInt = (s: string) => (s === "" ? null : int(s));
  const numbers = [int(f.window_index), int(f.pane_index), int(f.pane_pid), int(f.session_created), optionalInt(f.pane_dead_status), optionalInt(f.pane_dead_signal)];
  if (numbers.some((n) => Number.isNaN(n)) || !/^%\d+$/.test(f.pane_id) || (f.pane_dead !== "0" && f.pane_dead !== "1") || f.session_name === "") return null;
  const dead = f.pane_dead === "1";
  return {
    session: f.session_name,
    window: int(f.window_index),
    index: int(f.pane_index),
    createdAt: int(f.session_created),
    pane: {
      id: f.pane_id,
      pid: int(f.pane_pid),
      dead,
      deadStatus: dead ? optionalInt(f.pane_dead_status) : null,
      deadSignal: dead ? optionalInt(f.pane_dead_signal) : null,
      currentCommand: f.pane_current_command,
    },
    labels: f,
  };
}
