import { killThisProcess } from "../adapters/processes.js";

/**
 * For the fault tests only: MOSAIC_TEST_KILL_AFTER_STEP=K makes this process
 * kill itself with SIGKILL right after the K-th step of an apply (or of an
 * install-systemd or update), the way a power cut or an OOM kill would end
 * it, so a test can check that the next run converges from wherever it
 * stopped. Unset in any real use.
 */
export function faultInjection(env: Readonly<Record<string, string | undefined>>): { stepDone?: (count: number) => void } {
  const k = env.MOSAIC_TEST_KILL_AFTER_STEP;
  if (k === undefined || !/^[1-9][0-9]*$/.test(k)) return {};
  return { stepDone: (count) => (count === Number(k) ? killThisProcess() : undefined) };
}
