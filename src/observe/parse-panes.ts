import { FIELD_SEPARATOR, PANE_FIELDS } from "../adapters/tmux.js";
import { isSpecHash } from "../spec/hash.js";
import type { LaunchVariant, ObservedFleet, ObservedSession } from "./types.js";

interface PaneRow {
  session: string;
  window: number;
  pane: number;
  pid: number;
  dead: boolean;
  deadStatus: number | null;
  createdAt: number;
  currentCommand: string;
  managed: string;
  spec: string;
  launch: string;
}

/**
 * `list-panes -a` rows (PANE_FIELDS) to sessions. A session's agent is its
 * first pane (lowest window, then pane index); extra panes a user split off
 * are counted, not managed. Labels are trusted only in the exact form this
 * product writes: anyone with access to the socket can set user options.
 */
export function parsePaneRows(socket: string, rows: readonly string[] | null): ObservedFleet {
  if (rows === null) return { socket, serverRunning: false, sessions: [], unreadable: [] };
  const unreadable: string[] = [];
  const bySession = new Map<string, PaneRow[]>();
  for (const line of rows) {
    if (line === "") continue;
    const row = parseRow(line);
    if (!row) {
      unreadable.push(line);
      continue;
    }
    const list = bySession.get(row.session) ?? [];
    list.push(row);
    bySession.set(row.session, list);
  }
  const sessions: ObservedSession[] = [];
  for (const [name, panes] of bySession) {
    panes.sort((a, b) => a.window - b.window || a.pane - b.pane);
    const first = panes[0]!;
    sessions.push({
      name,
      managed: first.managed === "1",
      specHash: isSpecHash(first.spec) ? first.spec : null,
      launch: first.launch === "resume" || first.launch === "new" ? (first.launch as LaunchVariant) : null,
      createdAt: first.createdAt,
      pane: { pid: first.pid, dead: first.dead, deadStatus: first.deadStatus, currentCommand: first.currentCommand },
      paneCount: panes.length,
    });
  }
  sessions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { socket, serverRunning: true, sessions, unreadable };
}

function parseRow(line: string): PaneRow | null {
  const f = line.split(FIELD_SEPARATOR);
  if (f.length !== PANE_FIELDS.length) return null;
  const [session, window, pane, pid, dead, deadStatus, created, currentCommand, managed, spec, launch] = f as [string, string, string, string, string, string, string, string, string, string, string];
  const int = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);
  const row: PaneRow = {
    session,
    window: int(window),
    pane: int(pane),
    pid: int(pid),
    dead: dead === "1",
    deadStatus: deadStatus === "" ? null : int(deadStatus),
    createdAt: int(created),
    currentCommand,
    managed,
    spec,
    launch,
  };
  if ([row.window, row.pane, row.pid, row.createdAt].some(Number.isNaN) || (row.deadStatus !== null && Number.isNaN(row.deadStatus))) return null;
  return row;
}
