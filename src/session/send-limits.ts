type Env = Readonly<Record<string, string | undefined>>;

/**
 * How long a send waits, for slow agents: MOSAIC_SEND_CONFIRM_MS, how long
 * each check waits for the pane to change (default 2000), and
 * MOSAIC_SEND_LOCK_SECONDS, how long to wait for another sender to the same
 * agent (default 60). A value that is not a plain number is a usage error.
 */
export function sendLimits(env: Env): { readonly confirmMs: number; readonly lockMs: number } | { readonly problem: string } {
  const confirm = env.MOSAIC_SEND_CONFIRM_MS ?? "2000";
  if (!/^[0-9]{1,6}$/.test(confirm)) return { problem: `MOSAIC_SEND_CONFIRM_MS: not a number of milliseconds: '${confirm}'` };
  const lock = env.MOSAIC_SEND_LOCK_SECONDS ?? "60";
  if (!/^[0-9]{1,5}$/.test(lock)) return { problem: `MOSAIC_SEND_LOCK_SECONDS: not a number of seconds: '${lock}'` };
  return { confirmMs: Number(confirm), lockMs: Number(lock) * 1000 };
}
