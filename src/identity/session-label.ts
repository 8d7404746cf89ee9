import { isSpecHash } from "./hash.js";
import { parseSpecFields } from "./fields.js";
import { ROSTER_ID_PATTERN } from "./roster-id.js";

/**
 * What a session the fleet made records about itself, in one tmux user
 * option, `@mosaic`:
 *
 *     v2 pane=%12 managed=1 spec=v1:<sha256> fields=args=..,command=.. launch=resume grace=10 roster=<id>
 *
 * One option, not one per fact, because tmux 3.3a recomputes every
 * window's size after each set-option: with 1,000 sessions on a server a
 * set-option costs about 0.6 ms, and eight of them per agent made the
 * labels most of what an apply costs. Every value is a token of letters,
 * digits and `%:=,._-` (no space, no `#`), so the line splits on spaces and
 * is safe to expand with `set-option -F`, which fills in `#{pane_id}`.
 *
 * Sessions an older mosaic started carry the same facts as separate
 * options (LEGACY_LABELS). The observer and the unit scripts read those
 * when `@mosaic` is unset, so an upgrade neither replaces nor loses a
 * running agent; whatever mosaic labels next gets `@mosaic`.
 *
 * Anyone with access to the socket can set user options, so a label is
 * trusted only in the exact form written here: an unknown key, a repeated
 * key or a malformed value makes the whole label no label at all, to every
 * path (the planner, the units' start and stop, messages): this is the one
 * parser.
 */
export const SESSION_LABEL = "@mosaic";
export const SESSION_LABEL_VERSION = "v2";

/** The separate options of format 1, read (never written) for sessions an older mosaic started. */
export const LEGACY_LABELS = {
  managed: "@mosaic-managed",
  spec: "@mosaic-spec",
  specFields: "@mosaic-spec-fields",
  launch: "@mosaic-launch",
  pane: "@mosaic-pane",
  stopGrace: "@mosaic-stop-grace",
  roster: "@mosaic-roster",
} as const;

/** What mosaic writes on a session it launches (the pane id is added by the writer). */
export interface SessionLabels {
  readonly managed?: "1";
  readonly spec?: string;
  readonly specFields?: string;
  readonly launch?: string;
  /**
   * The agent's grace period. The unit's ExecStop (stop-agent-session.sh)
   * reads it from the launch file's copy of this label, never from the
   * session, whose agent can rewrite it; mosaic itself takes the roster's.
   */
  readonly stopGrace?: string;
  /** The roster that made the session (spec/roster-id.ts): another roster on the socket leaves it alone. */
  readonly roster?: string;
}

/** What the observer takes from a session's labels, each null unless in the exact form written. */
export interface ReadLabels {
  readonly managed: boolean;
  readonly spec: string | null;
  readonly specFields: Readonly<Record<string, string>> | null;
  readonly launch: "resume" | "new" | null;
  /** The agent's own pane id, recorded at launch. */
  readonly pane: string | null;
  readonly roster: string | null;
  /** The stop grace in seconds, as written; null when none or not a number. */
  readonly grace: string | null;
}

const KEYS = ["pane", "managed", "spec", "fields", "launch", "grace", "roster"] as const;
type Key = (typeof KEYS)[number];

/** The separate option of format 1 that held each key of `@mosaic`. */
export const LEGACY_OPTION_OF: Readonly<Record<Key, string>> = {
  pane: LEGACY_LABELS.pane,
  managed: LEGACY_LABELS.managed,
  spec: LEGACY_LABELS.spec,
  fields: LEGACY_LABELS.specFields,
  launch: LEGACY_LABELS.launch,
  grace: LEGACY_LABELS.stopGrace,
  roster: LEGACY_LABELS.roster,
};

/**
 * The one command that removes a label option set for every session at
 * once, whichever of the three scopes it was set in.
 */
export function globalLabelRemedy(socket: string, name: string): string {
  return `tmux -L ${socket} set-option -gu ${name} \\; set-option -su ${name} \\; set-option -gwu ${name}`;
}
const TOKEN = /^[A-Za-z0-9%:=,._-]+$/;

/**
 * The `@mosaic` value. `pane` is a pane id, `#{pane_id}` for tmux to fill
 * in (set-option -F), or null when the pane is not known.
 */
export function formatSessionLabel(labels: SessionLabels, pane: string | null): string {
  const values: Record<Key, string | undefined> = {
    pane: pane ?? undefined,
    managed: labels.managed,
    spec: labels.spec,
    fields: labels.specFields,
    launch: labels.launch,
    grace: labels.stopGrace,
    roster: labels.roster,
  };
  const parts: string[] = [SESSION_LABEL_VERSION];
  for (const key of KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    if (!(key === "pane" && value === "#{pane_id}") && !TOKEN.test(value)) throw new Error(`not a label value for ${key}: ${JSON.stringify(value)}`);
    parts.push(`${key}=${value}`);
  }
  return parts.join(" ");
}

const NOTHING: ReadLabels = { managed: false, spec: null, specFields: null, launch: null, pane: null, roster: null, grace: null };

/** The `@mosaic` value read back (control characters already shown as `?`), or no label unless exact. */
export function parseSessionLabel(value: string): ReadLabels {
  const [version, ...tokens] = value.split(" ");
  if (version !== SESSION_LABEL_VERSION) return NOTHING;
  const seen = new Map<string, string>();
  for (const token of tokens) {
    const at = token.indexOf("=");
    const key = token.slice(0, at);
    if (at < 1 || !(KEYS as readonly string[]).includes(key) || seen.has(key)) return NOTHING;
    seen.set(key, token.slice(at + 1));
  }
  const read = readValues((k) => seen.get(k) ?? "");
  // A key that is there must hold a value of the form mosaic writes: one that does not makes the whole label suspect.
  const valid: Record<Key, boolean> = { pane: read.pane !== null, managed: read.managed, spec: read.spec !== null, fields: read.specFields !== null, launch: read.launch !== null, grace: read.grace !== null, roster: read.roster !== null };
  return [...seen.keys()].every((k) => valid[k as Key]) ? read : NOTHING;
}

/** Format 1: each fact in its own option (LEGACY_LABELS), as an older mosaic wrote them; "" for an unset one. */
export function parseLegacyLabels(values: Readonly<Record<Exclude<keyof typeof LEGACY_LABELS, "stopGrace">, string> & { stopGrace?: string }>): ReadLabels {
  return readValues((k) => (k === "fields" ? values.specFields : k === "grace" ? (values.stopGrace ?? "") : values[k]));
}

function readValues(get: (key: Key) => string): ReadLabels {
  const launch = get("launch");
  const pane = get("pane");
  const roster = get("roster");
  const spec = get("spec");
  const grace = get("grace");
  return {
    managed: get("managed") === "1",
    spec: isSpecHash(spec) ? spec : null,
    specFields: parseSpecFields(get("fields")),
    launch: launch === "resume" || launch === "new" ? launch : null,
    pane: /^%\d+$/.test(pane) ? pane : null,
    roster: ROSTER_ID_PATTERN.test(roster) ? roster : null,
    grace: /^\d{1,3}(\.\d+)?$/.test(grace) ? grace : null,
  };
}
