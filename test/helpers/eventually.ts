/**
 * How a test waits: for a state it can see, never for a time. `eventually`
 * polls `check` until it returns something other than false, null or
 * undefined, and returns that. Its deadline only bounds a hang: it is far
 * past what the state takes on a busy machine, so reaching it means the
 * state never came, and the error says which. This file and vitest's own
 * `expect.poll` (with a `timeout` of the same kind) are the only places a
 * test reads the clock or sets a timer; test/unit/test-hygiene.test.ts
 * checks that.
 */

/** Long enough that only a hang reaches it; well inside the 60 s test timeout. */
export const HANG_AFTER_MS = 30_000;
const POLL_MS = 50;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function eventually<T>(check: () => T | Promise<T>, opts: { what?: string; hangAfterMs?: number } = {}): Promise<Exclude<T, false | null | undefined>> {
  const hangAfterMs = opts.hangAfterMs ?? HANG_AFTER_MS;
  const deadline = Date.now() + hangAfterMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== null && value !== undefined) return value as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`${opts.what ?? "the awaited state"} did not come within ${hangAfterMs} ms (a bound on a hang, not a timing)`);
    await pause(POLL_MS);
  }
}

/**
 * Whether `promise` settles within `ms`: for teardown that waits for a
 * process to end and then ends it by force, never for an assertion.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const, () => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
