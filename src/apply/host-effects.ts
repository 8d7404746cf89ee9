import type { Effects } from "./effects.js";
import type { FileEffects } from "./file-effects.js";
import type { SystemdEffects } from "./systemd-effects.js";
import type { TmuxEffects } from "./tmux-effects.js";

/**
 * All the executor's hands, from one part per tool. A part left out
 * (systemd where no manager may exist, tmux for installing files) refuses,
 * rather than making a call nobody planned.
 */
export function hostEffects(tmux: TmuxEffects | null, files: FileEffects, systemd: SystemdEffects | null): Effects {
  const none = "no systemd user manager to ask";
  const noTmux = "this command does not manage tmux sessions";
  return {
    launchSessions: tmux ? tmux.launchSessions : async (afters) => new Map(afters.map((a) => [a.name, { ok: false, error: noTmux }])),
    label: tmux ? tmux.label : async () => ({ ok: false, error: noTmux }),
    stopSessions: tmux ? tmux.stopSessions : async (stops) => new Map(stops.map((s) => [s.session, { ok: false, error: noTmux }])),
    panesOf: tmux ? tmux.panesOf : async () => new Map(),
    ...files,
    systemctl: systemd ? systemd.systemctl : async (_verb, units) => ({ ok: false, failed: [...units], error: none }),
    daemonReload: systemd ? systemd.daemonReload : async () => ({ ok: false, error: none }),
  };
}
