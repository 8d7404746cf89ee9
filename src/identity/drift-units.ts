/**
 * The drift check as a systemd user timer (`fleet install-systemd
 * --drift-timer`): a oneshot service that runs `mosaic fleet plan
 * --detailed-exitcode --quiet` for one roster, and a timer that starts it
 * every so often. A drift exits 2, which systemd records as a failed run,
 * so `systemctl --user --failed` and any unit-failure alerting see it; the
 * drift line goes to the journal. A plan takes no lock and changes nothing.
 */
export const DRIFT_SERVICE = "mosaic-fleet-drift.service";
export const DRIFT_TIMER = "mosaic-fleet-drift.timer";
export const DEFAULT_DRIFT_EVERY = "15min";

/** What the units run: this node and this mosaic, for this roster, seeing what the installer's own `fleet plan` sees. */
export interface DriftCheck {
  readonly node: string;
  readonly mosaic: string;
  readonly roster: string;
  readonly every: string;
  /** Variables the installer's environment sets that decide what a plan observes (where sockets and files are). */
  readonly env: Readonly<Record<string, string>>;
}

/** The variables a drift check carries over from the installer: the rest systemd's user manager gives every unit. */
export const DRIFT_ENV_KEYS = ["TMUX_TMPDIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME"] as const;

/**
 * A systemd time span as `OnUnitActiveSec=` takes it: a number and a unit,
 * or several (`1h 30min`). At least a minute: a check every few seconds
 * would fill the journal.
 */
export function parseDriftEvery(value: string): { ok: true; every: string } | { ok: false; problem: string } {
  const units: Record<string, number> = { s: 1, sec: 1, second: 1, seconds: 1, m: 60, min: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400, w: 604800, week: 604800, weeks: 604800 };
  const text = value.trim();
  const part = /([0-9]{1,6}(?:\.[0-9]{1,3})?) ?([a-z]+) */y;
  const parts: string[] = [];
  let seconds = 0;
  for (let m = part.exec(text); m !== null; m = part.exec(text)) {
    if (units[m[2]!] === undefined) break;
    seconds += Number(m[1]) * units[m[2]!]!;
    parts.push(`${m[1]}${m[2]}`);
    if (part.lastIndex === text.length) break;
  }
  if (parts.length === 0 || part.lastIndex !== text.length) return { ok: false, problem: `not a time span: ${JSON.stringify(value)} (like 15min, 1h or 1h 30min)` };
  if (seconds < 60) return { ok: false, problem: `${JSON.stringify(value)} is less than a minute; check at most once a minute` };
  return { ok: true, every: parts.join(" ") };
}

/**
 * One argument of an Exec line, or one assignment of an Environment line,
 * as systemd reads it: in double quotes, with `\\` and `"` escaped and `%`
 * (specifiers) doubled; in an Exec line `$` (variables) is doubled too,
 * where Environment= expands none.
 */
export function systemdQuoted(arg: string, where: "exec" | "environment" = "exec"): string {
  if (/[\x00-\x1f\x7f]/.test(arg)) throw new Error(`a control character cannot go into a unit file: ${JSON.stringify(arg)}`);
  const escaped = arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%");
  return `"${where === "exec" ? escaped.replace(/\$/g, "$$$$") : escaped}"`;
}

export function driftService(check: DriftCheck): string {
  const exec = [check.node, check.mosaic, "fleet", "plan", "--detailed-exitcode", "--quiet", "--roster", check.roster].map((a) => systemdQuoted(a, "exec")).join(" ");
  const env = Object.keys(check.env)
    .sort()
    .map((k) => `Environment=${systemdQuoted(`${k}=${check.env[k]}`, "environment")}\n`)
    .join("");
  return `# Mosaic fleet: checks whether the fleet still matches its roster.
#
# Installed by \`mosaic fleet install-systemd --drift-timer\`, started by
# ${DRIFT_TIMER}. Runs \`mosaic fleet plan --detailed-exitcode --quiet\`:
# exit 0 when the fleet matches the roster, 2 (a failed run) when it has
# drifted, with one line saying what differs in the journal
# (journalctl --user -u ${DRIFT_SERVICE}). It takes no lock and changes
# nothing. \`systemctl --user --failed\` lists it while the fleet has drifted.
[Unit]
Description=Mosaic fleet: drift check of ${check.roster.replace(/[%\n]/g, "?")}
Documentation=https://www.npmjs.com/package/mosaic

[Service]
Type=oneshot
# tmux is looked up on this PATH, as the fleet's own units look up agents.
Environment=PATH=%h/.local/bin:%h/.npm-global/bin:%h/bin:/usr/local/bin:/usr/bin:/bin
${env}Environment=NO_COLOR=1
ExecStart=${exec}
`;
}

export function driftTimer(check: DriftCheck): string {
  return `# Mosaic fleet: starts ${DRIFT_SERVICE} every ${check.every}.
#
# Installed by \`mosaic fleet install-systemd --drift-timer --every ${check.every}\`.
# Turn it on with: systemctl --user enable --now ${DRIFT_TIMER}
[Unit]
Description=Mosaic fleet: drift check every ${check.every}

[Timer]
OnActiveSec=1min
OnUnitActiveSec=${check.every}

[Install]
WantedBy=timers.target
`;
}

/**
 * The check installed drift units run, read back from their text (what
 * `mosaic update` needs to write them again for the node and mosaic it
 * runs on now): the roster from ExecStart, the variables from the
 * Environment= lines after PATH's, how often from the timer. null when the
 * files are not the units driftService() and driftTimer() write.
 */
export function readDriftCheck(service: string, timer: string): Omit<DriftCheck, "node" | "mosaic"> | null {
  const exec = /^ExecStart=(.*)$/m.exec(service)?.[1];
  const every = /^OnUnitActiveSec=(.+)$/m.exec(timer)?.[1];
  if (exec === undefined || every === undefined || !parseDriftEvery(every).ok) return null;
  const args = systemdArgs(exec, "exec");
  const at = args?.indexOf("--roster") ?? -1;
  const roster = at >= 0 ? args![at + 1] : undefined;
  if (roster === undefined) return null;
  const env: Record<string, string> = {};
  for (const [, quoted] of service.matchAll(/^Environment=(".*")$/gm)) {
    const assignment = systemdArgs(quoted!, "environment")?.[0];
    const eq = assignment?.indexOf("=") ?? -1;
    const key = assignment?.slice(0, eq);
    if (key !== undefined && (DRIFT_ENV_KEYS as readonly string[]).includes(key)) env[key] = assignment!.slice(eq + 1);
  }
  return { roster, every, env };
}

/** The node and mosaic an installed drift service runs (its ExecStart's first two arguments), or null. */
export function driftCheckProgram(service: string): { readonly node: string; readonly mosaic: string } | null {
  const exec = /^ExecStart=(.*)$/m.exec(service)?.[1];
  const args = exec === undefined ? null : systemdArgs(exec, "exec");
  return args !== null && args.length >= 2 ? { node: args[0]!, mosaic: args[1]! } : null;
}

/** The arguments of a line of systemdQuoted() values, unquoted; null when one is not in that form. */
function systemdArgs(line: string, where: "exec" | "environment"): string[] | null {
  const out: string[] = [];
  const arg = /"((?:[^"\\]|\\.)*)"(?: |$)/y;
  for (let m = arg.exec(line); m !== null; m = arg.exec(line)) {
    const text = m[1]!.replace(/\\(.)/g, "$1").replace(/%%/g, "%");
    out.push(where === "exec" ? text.replace(/\$\$/g, "$") : text);
    if (arg.lastIndex === line.length) return out;
  }
  return null;
}
