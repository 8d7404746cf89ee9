import { failedUnits, type SystemctlClient } from "../adapters/systemctl.js";
import type { UnitVerb } from "../plan/types.js";
import { withReceipts } from "../adapters/unit-receipts.js";
import type { BatchResult, EffectResult, Effects } from "./effects.js";

export type SystemdEffects = Pick<Effects, "systemctl" | "daemonReload">;

/**
 * What the systemd backend asks the user manager to do: one call per verb,
 * for many units. `launchDir` is where the units' scripts look for the
 * receipts of what mosaic did itself (adapters/unit-receipts.ts); null
 * where no fleet is in play (installing the product files).
 */
export function systemdEffects(systemctl: SystemctlClient, launchDir: string | null): SystemdEffects {
  return {
    async systemctl(verb: UnitVerb, units: readonly string[], vouched: readonly string[]): Promise<BatchResult> {
      const call = () => systemctl.unitCommand(verb, units);
      const r = launchDir === null || vouched.length === 0 ? await call() : await withReceipts(launchDir, verb, vouched, call);
      if (r.ok) return { ok: true };
      return { ok: false, failed: failedUnits(r.stderr, units), error: r.stderr.trim() || `systemctl exited with ${r.exitCode}` };
    },

    async daemonReload(): Promise<EffectResult> {
      const r = await systemctl.daemonReload();
      return r.ok ? { ok: true } : { ok: false, error: r.stderr.trim() || `systemctl exited with ${r.exitCode}` };
    },
  };
}
