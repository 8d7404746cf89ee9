import type { SessionLabels } from "./session-label.js";
import { formatSessionLabel, parseLegacyLabels, parseSessionLabel, LEGACY_LABELS, SESSION_LABEL } from "./session-label.js";

/**
 * The launch file: what a unit starts at boot, written by `fleet apply`
 * for each session the roster runs (~/.local/state/mosaic/fleet/NAME.launch,
 * 0600). It holds the session's launch as data (name, argv, cwd, env and
 * labels), never a command line: the session tool that the units run hands
 * it to the same tmux adapter a direct apply uses, so a session a unit
 * started carries the same labels and cannot be told apart.
 *
 * Format 2 is one JSON document. Format 1, written by mosaic up to 0.1.0,
 * is NUL-terminated fields: the format tag, socket, tmux config, session
 * name, spec hash, then tmux's own new-session arguments. It is still read,
 * so a unit started after `mosaic update` but before the next apply (which
 * rewrites the file, restarting nothing) still starts and stops its agent.
 */
export const LAUNCH_FILE_FORMAT = "mosaic-launch-v2";
export const LEGACY_LAUNCH_FILE_FORMAT = "mosaic-launch-v1";

/** A tmux session to start: its pane runs `argv` directly, not via a shell. */
export interface SessionLaunch {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Set in the same invocation; the pane id label is added from the new pane itself. */
  readonly labels: SessionLabels;
}

/** A launch file as read: what every reader (the planner, the session tool) takes from it. */
export interface LaunchFile {
  readonly socket: string;
  /** The tmux config the fleet's server loads. */
  readonly config: string;
  /** The session it starts. */
  readonly session: string;
  /** Its spec hash: a live session with another one is not this launch. */
  readonly spec: string;
  /** The roster it was written for; null for the holder, which every roster on the socket shares. */
  readonly roster: string | null;
  /** The stop grace written with it, as text ("" when none): never the session's own label, which its agent can rewrite. */
  readonly grace: string;
  /** Format 2: the launch itself. Format 1: tmux's new-session arguments as recorded, run as they are. */
  readonly start: { readonly launch: SessionLaunch } | { readonly recordedArgs: readonly string[] };
}

export type LaunchFileRead = { readonly ok: true; readonly file: LaunchFile } | { readonly ok: false; readonly problem: string };

/** The bytes of a launch file (format 2). */
export function launchFileContent(launch: SessionLaunch, socket: string, configPath: string): string {
  const doc = { format: LAUNCH_FILE_FORMAT, socket, config: configPath, launch: { name: launch.name, argv: launch.argv, cwd: launch.cwd, env: launch.env, labels: launch.labels } };
  return `${JSON.stringify(doc)}\n`;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isStringRecord = (v: unknown): v is Record<string, string> => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isString);

/** The one reader of launch files, both formats; anything else is a problem, never a guess. */
export function readLaunchFile(content: string): LaunchFileRead {
  if (content.startsWith(`${LEGACY_LAUNCH_FILE_FORMAT}\0`)) return readLegacy(content);
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return { ok: false, problem: `not a mosaic launch file (${LAUNCH_FILE_FORMAT})` };
  }
  const d = doc as { format?: unknown; socket?: unknown; config?: unknown; launch?: { name?: unknown; argv?: unknown; cwd?: unknown; env?: unknown; labels?: unknown } };
  if (d === null || typeof d !== "object" || d.format !== LAUNCH_FILE_FORMAT) return { ok: false, problem: `not a mosaic launch file (${LAUNCH_FILE_FORMAT})` };
  const l = d.launch;
  if (!isString(d.socket) || !isString(d.config) || typeof l !== "object" || l === null || !isString(l.name) || !Array.isArray(l.argv) || !l.argv.every(isString) || l.argv.length === 0 || !isString(l.cwd) || !isStringRecord(l.env) || !isStringRecord(l.labels)) {
    return { ok: false, problem: `a ${LAUNCH_FILE_FORMAT} file with a missing or malformed field` };
  }
  const labels = l.labels as SessionLabels;
  // The labels the session will carry, as the one parser reads them back: a start must never make a
  // session that its own stop, or the planner, would then take for someone else's.
  if (!labelsReadBack(labels)) return { ok: false, problem: `a ${LAUNCH_FILE_FORMAT} file whose labels are not ones mosaic writes` };
  const launch: SessionLaunch = { name: l.name, argv: l.argv as string[], cwd: l.cwd, env: l.env, labels };
  return { ok: true, file: { socket: d.socket, config: d.config, session: l.name, spec: labels.spec ?? "", roster: labels.roster ?? null, grace: labels.stopGrace ?? "", start: { launch } } };
}

function labelsReadBack(labels: SessionLabels): boolean {
  try {
    return parseSessionLabel(formatSessionLabel(labels, "%0")).managed;
  } catch {
    return false; // a value formatSessionLabel refuses to write
  }
}

/**
 * Format 1. Its facts beyond the first five fields live in the recorded
 * set-option arguments: `@mosaic "v2 ... grace=N roster=R"`, or, from an
 * older mosaic still, `@mosaic-stop-grace N` and `@mosaic-roster R`.
 */
function readLegacy(content: string): LaunchFileRead {
  const fields = content.split("\0");
  if (fields.pop() !== "" || fields.length < 6) return { ok: false, problem: `a ${LEGACY_LAUNCH_FILE_FORMAT} file cut short` };
  const [, socket, config, session, spec] = fields as [string, string, string, string, string];
  const args = fields.slice(5);
  const labelAt = args.indexOf(SESSION_LABEL);
  let roster: string | null = null;
  let grace = "";
  if (labelAt !== -1) {
    // The label as written, with `#{pane_id}` for tmux to fill in: a token the one parser accepts once filled.
    const value = (args[labelAt + 1] ?? "").replace("#{pane_id}", "%0");
    const read = parseSessionLabel(value);
    roster = read.roster;
    grace = read.grace ?? "";
    if (!read.managed) return { ok: false, problem: `a ${LEGACY_LAUNCH_FILE_FORMAT} file whose label is not one mosaic writes` };
  } else {
    const at = (name: string) => {
      const i = args.indexOf(name);
      return i === -1 ? "" : (args[i + 1] ?? "");
    };
    const read = parseLegacyLabels({ managed: at(LEGACY_LABELS.managed), spec: at(LEGACY_LABELS.spec), specFields: at(LEGACY_LABELS.specFields), launch: at(LEGACY_LABELS.launch), pane: "%0", roster: at(LEGACY_LABELS.roster), stopGrace: at(LEGACY_LABELS.stopGrace) });
    if (!read.managed) return { ok: false, problem: `a ${LEGACY_LAUNCH_FILE_FORMAT} file whose labels are not ones mosaic writes` };
    roster = read.roster;
    grace = read.grace ?? "";
  }
  return { ok: true, file: { socket, config, session, spec, roster, grace, start: { recordedArgs: args } } };
}
