/**
 * The only place that builds `journalctl` command lines: the last lines
 * the fleet's units wrote (their scripts' refusals) and the user manager
 * wrote about them (how they failed), for `status` to show beside a unit
 * that failed. One call for any number of units.
 *
 * Facts about systemd 252 this file relies on:
 * - Terms of a match are ANDed; `+` between groups ORs them, so
 *   `A=1 B=2 + C=3 B=2` is (A and B) or (C and B).
 * - A user unit's output carries `_SYSTEMD_USER_UNIT` where its cgroup is
 *   under user@UID.service, and the manager's own messages about it carry
 *   `USER_UNIT`. A manager elsewhere (a container, the test sandbox) gets
 *   neither on its units' output: the fleet's units set
 *   `SyslogIdentifier=` to their own name, which every line carries.
 * - Without `--user`, journalctl reads every journal file it may: a user's
 *   own, and the system's when allowed. `--user` would skip root's lines,
 *   which journald keeps in the system journal.
 * - `-n N` with matches gives the last N entries that match; `-o json`
 *   gives one object per line, MESSAGE a string, or an array of bytes
 *   when it is not UTF-8.
 */
import { loadExeca } from "./exec.js";

export interface JournalLine {
  readonly unit: string;
  /** Unix milliseconds. */
  readonly at: number;
  readonly identifier: string;
  readonly pid: number | null;
  readonly message: string;
}

export type JournalAnswer = { readonly ok: true; readonly lines: ReadonlyMap<string, readonly JournalLine[]> } | { readonly ok: false; readonly problem: string };

export interface JournalOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  /** Lines kept per unit, the last ones. */
  readonly perUnit: number;
  readonly binary?: string;
}

/** The name a unit's lines carry: its unit name without `.service` (its SyslogIdentifier=). */
export function syslogIdentifierOf(unit: string): string {
  return unit.replace(/\.service$/, "");
}

/** The journalctl arguments for the last lines of `units`; each match is one argv element. */
export function journalArgs(units: readonly string[], uid: number, perUnit: number): string[] {
  const me = `_UID=${uid}`;
  const matches = units.flatMap((u) => [`SYSLOG_IDENTIFIER=${syslogIdentifierOf(u)}`, me, "+", `_SYSTEMD_USER_UNIT=${u}`, me, "+", `USER_UNIT=${u}`, me, "+"]).slice(0, -1);
  // Room for every unit's share even when one unit wrote most of the recent lines.
  return ["--no-pager", "--quiet", "-o", "json", "-n", String(perUnit * units.length * 4), "--", ...matches];
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((b) => typeof b === "number")) return Buffer.from(value as number[]).toString("utf8");
  return null;
}

/** journalctl's JSON lines, by unit, the last `perUnit` of each, oldest first. Lines it cannot read are skipped. */
export function parseJournal(stdout: string, units: readonly string[], perUnit: number): Map<string, JournalLine[]> {
  const byIdentifier = new Map(units.map((u) => [syslogIdentifierOf(u), u]));
  const wanted = new Set(units);
  const out = new Map<string, JournalLine[]>(units.map((u) => [u, []]));
  for (const row of stdout.split("\n")) {
    if (row.trim() === "") continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(row) as Record<string, unknown>;
    } catch {
      continue;
    }
    const named = [text(entry._SYSTEMD_USER_UNIT), text(entry.USER_UNIT)].find((u) => u !== null && wanted.has(u));
    const identifier = text(entry.SYSLOG_IDENTIFIER);
    const unit = named ?? (identifier !== null ? byIdentifier.get(identifier) : undefined);
    const message = text(entry.MESSAGE);
    if (unit === undefined || message === null) continue;
    const pid = Number(text(entry._PID) ?? NaN);
    out.get(unit)!.push({ unit, at: Math.floor(Number(text(entry.__REALTIME_TIMESTAMP) ?? 0) / 1000), identifier: identifier ?? unit, pid: Number.isInteger(pid) ? pid : null, message });
  }
  for (const [unit, lines] of out) out.set(unit, lines.slice(-perUnit));
  return out;
}

/** The last lines of each unit in the journal; not ok, with why, when journalctl is missing or fails. */
export async function lastJournalLines(units: readonly string[], opts: JournalOptions): Promise<JournalAnswer> {
  if (units.length === 0) return { ok: true, lines: new Map() };
  const binary = opts.binary ?? "journalctl";
  const execa = await loadExeca();
  const r = await execa(binary, journalArgs(units, opts.uid, opts.perUnit), { reject: false, env: { ...opts.env }, extendEnv: false, stdin: "ignore", timeout: 10_000, maxBuffer: 16 << 20 });
  if (r.exitCode === undefined) {
    const code = (r.cause as { code?: string } | undefined)?.code;
    return { ok: false, problem: code === "ENOENT" ? `${binary} not found on PATH` : r.timedOut ? `${binary} took more than 10 s` : (r.shortMessage ?? "not started") };
  }
  if (r.exitCode !== 0) return { ok: false, problem: `${binary} exited ${r.exitCode}: ${String(r.stderr).trim().split("\n")[0] ?? ""}` };
  return { ok: true, lines: parseJournal(String(r.stdout), units, opts.perUnit) };
}
