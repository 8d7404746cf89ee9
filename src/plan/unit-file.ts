/**
 * What a change to an installed unit file asks of systemd, decided from
 * the two texts alone (pure; the planner calls it), in the manner of
 * NixOS's switch-to-configuration: parse both files as systemd does and
 * compare what systemd would load, key by key.
 *
 * - "equal": the same text; nothing to do.
 * - "reload": `systemctl --user daemon-reload` is all it takes. Either
 *   nothing systemd loads changed (comments, blank lines, spacing, line
 *   wrapping), yet the manager still flags any rewritten file with
 *   NeedDaemonReload until a reload; or only settings the manager reads
 *   when it uses them changed: [Unit] Description and Documentation, the
 *   [Install] section (read by enable and disable only), and what a stop
 *   runs. Measured on systemd 252: after a daemon-reload an active oneshot
 *   stays active and runs its new ExecStop when stopped.
 * - "restart": something a running unit took when it started changed
 *   (ExecStart, Environment, Type, RemainAfterExit, a dependency such as
 *   Requires= or After=, or anything not known to be safe). It takes
 *   effect at the unit's next start. The planner never restarts for it on
 *   its own (restarting the holder would replace every agent); it says so.
 */

export type UnitFileComparison = "equal" | "reload" | "restart";

/** Per section, per key, the values in file order (`Environment=` twice is two values; `ExecStart=` empty resets, so order matters). */
export type ParsedUnitFile = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export interface UnitKeyChange {
  readonly section: string;
  readonly key: string;
  readonly needs: "reload" | "restart";
}

/**
 * [Unit] keys the manager reads only when it uses them, so a change needs
 * no restart (NixOS's list, less its own X-Reload-Triggers: every X- key is
 * ignored by systemd anyway).
 */
const UNIT_RELOAD_ONLY = new Set([
  "Description",
  "Documentation",
  "OnFailure",
  "OnSuccess",
  "OnFailureJobMode",
  "IgnoreOnIsolate",
  "StopWhenUnneeded",
  "RefuseManualStart",
  "RefuseManualStop",
  "AllowIsolate",
  "CollectMode",
  "SourcePath",
]);

/** [Service] keys used when the unit stops or reloads, read from the unit as last loaded: a daemon-reload before that is enough. */
const SERVICE_RELOAD_ONLY = new Set(["ExecStop", "ExecStopPost", "ExecReload", "TimeoutStopSec"]);

/** A bad `[header` line makes systemd refuse the whole file; kept under a name no header can have, so a change to it counts. */
const INVALID_HEADERS = "\n invalid section headers";

/** systemd's WHITESPACE: no other spaces are stripped. */
const EDGE_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/**
 * The file as systemd 252's config parser reads it: lines end at \n, \r\n,
 * \r or NUL; a line whose first non-blank character is `#` or `;` is a
 * comment, even in the middle of a continued line; a line ending in an odd
 * number of backslashes continues on the next, the backslash becoming a
 * space; `[Name]` opens a section (a section named twice is one section);
 * `Key=Value` is trimmed of blanks on both sides of each. What systemd
 * ignores is dropped: assignments before any section, lines without `=`.
 */
export function parseUnitFile(text: string): ParsedUnitFile {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  const add = (section: string, key: string, value: string) => {
    const keys = sections.get(section) ?? new Map<string, string[]>();
    keys.set(key, [...(keys.get(key) ?? []), value]);
    sections.set(section, keys);
  };
  const take = (logical: string) => {
    const line = logical.replace(EDGE_SPACE, "");
    if (line === "") return;
    if (line.startsWith("[")) {
      const name = line.length >= 2 && line.endsWith("]") ? line.slice(1, -1) : undefined;
      if (name === undefined) return add(INVALID_HEADERS, line, line);
      current = sections.get(name) ?? new Map<string, string[]>();
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf("=");
    if (current === undefined || eq < 0) return;
    const key = line.slice(0, eq).replace(EDGE_SPACE, "");
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).replace(EDGE_SPACE, "")]);
  };

  let continuation: string | null = null;
  for (const raw of text.replace(/^\ufeff/, "").split(/\r\n|\r|\n|\0/)) {
    if (/^[ \t\n\r]*[#;]/.test(raw)) continue;
    const logical: string = continuation === null ? raw : continuation + raw;
    if (/(^|[^\\])(\\\\)*\\$/.test(logical)) {
      continuation = `${logical.slice(0, -1)} `;
      continue;
    }
    continuation = null;
    take(logical);
  }
  if (continuation !== null) take(continuation);
  return sections;
}

/** Every key whose values differ between the two files, sorted by section then key, with what its change needs. */
export function unitFileChanges(before: string, after: string): UnitKeyChange[] {
  const a = parseUnitFile(before);
  const b = parseUnitFile(after);
  const changes: UnitKeyChange[] = [];
  for (const section of sortedUnion(a.keys(), b.keys())) {
    const ka = a.get(section) ?? new Map<string, readonly string[]>();
    const kb = b.get(section) ?? new Map<string, readonly string[]>();
    for (const key of sortedUnion(ka.keys(), kb.keys())) {
      if (!sameValues(ka.get(key) ?? [], kb.get(key) ?? [])) changes.push({ section, key, needs: needsOf(section, key) });
    }
  }
  return changes;
}

/** What replacing unit file `before` with `after` asks of systemd (see the header). */
export function compareUnitFiles(before: string, after: string): UnitFileComparison {
  if (before === after) return "equal";
  return unitFileChanges(before, after).some((c) => c.needs === "restart") ? "restart" : "reload";
}

function needsOf(section: string, key: string): "reload" | "restart" {
  // systemd ignores X- sections and keys; [Install] is read only by enable and disable.
  if (section.startsWith("X-") || key.startsWith("X-") || section === "Install") return "reload";
  if (section === "Unit" && UNIT_RELOAD_ONLY.has(key)) return "reload";
  if (section === "Service" && SERVICE_RELOAD_ONLY.has(key)) return "reload";
  return "restart";
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
