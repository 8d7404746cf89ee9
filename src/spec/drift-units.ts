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
  const parts = value.trim().split(/\s+/);
  let seconds = 0;
  for (const part of parts) {
    const m = /^([0-9]{1,6})([a-z]+)$/.exec(part);
    if (!m || units[m[2]!] === undefined) return { ok: false, problem: `not a time span: ${JSON.stringify(value)} (like 15min, 1h or 1h 30min)` };
    seconds += Number(m[1]) * units[m[2]!]!;
  }
  if (seconds < 60) return { ok: false, problem: `${JSON.stringify(value)} is less than a minute; check at most once a minute` };
  return { ok: true, every: parts.join(" ") };
}

/**
 * One argument of an Exec or Environment line, as systemd reads it: in
 * double quotes, with `\` and `"` escaped, and `%` (specifiers) and `$`
 * (variables) doubled so systemd takes them literally.
 */
export function systemdQuoted(arg: string): string {
  if (/[\x00-\x1f\x7f]/.test(arg)) throw new Error(`a control character cannot go into a unit file: ${JSON.stringify(arg)}`);
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

export function driftService(check: DriftCheck): string {
  const exec = [check.node, check.mosaic, "fleet", "plan", "--detailed-exitcode", "--quiet", "--roster", check.roster].map(systemdQuoted).join(" ");
  const env = Object.keys(check.env)
    .sort()
    .map((k) => `Environment=${systemdQuoted(`${k}=${check.env[k]}`)}\n`)
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
