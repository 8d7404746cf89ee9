import { failedUnits, type SystemctlClient } from "../adapters/systemctl.js";
import type { UnitVerb } from "../plan/types.js";
import type { BatchResult, EffectResult, Effects } from "./effects.js";

export type SystemdEffects = Pick<Effects, "systemctl" | "daemonReload">;

/** What the systemd backend asks the user manager to do: one call per verb, for many units. */
export function systemdEffects(systemctl: SystemctlClient): SystemdEffects {
  return {
    async systemctl(verb: UnitVerb, units: readonly string[]): Promise<BatchResult> {
      const r = await systemctl.unitCommand(verb, units);
      if (r.ok) return { ok: true };
      return { ok: false, failed: failedUnits(r.stderr, units), error: r.stderr.trim() || `systemctl exited with ${r.exitCode}` };
    },

    async daemonReload(): Promise<EffectResult> {
      const r = await systemctl.daemonReload();
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() || `systemctl exited with ${r.exitCode}` };
    },
  };
}
