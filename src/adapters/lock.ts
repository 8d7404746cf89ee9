/**
 * One apply at a time per target (a fleet's tmux socket, or the product
 * files installed under one HOME), and one message typed at a time into
 * each agent's session. A lock is a listening Unix socket
 * in Linux's abstract namespace: the kernel frees it the moment its holder
 * exits, however it exits, so a crashed apply can never wedge the next one
 * and there is no stale file to detect or clean up. A contender connects to
 * it to learn who holds it.
 */
import { createHash } from "node:crypto";
import { createConnection, createServer, type Server } from "node:net";
import { sleep } from "./processes.js";

export interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Lock name: a hash of what it guards (a path first: the tmux socket's, for a fleet), so private test servers get private locks. */
function lockAddress(purpose: "apply" | "send", parts: readonly string[]): string {
  return `\0mosaic-${purpose}-${createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32)}`;
}

function tryListen(address: string, holder: LockHolder): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    // A contender may hang up before the answer is written (EPIPE, ECONNRESET): its loss, never the holder's.
    const server = createServer((conn) => conn.on("error", () => {}).end(JSON.stringify(holder)));
    server.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(null) : reject(err)));
    server.listen({ path: address }, () => {
      server.unref(); // the lock must never keep the process alive by itself
      server.on("error", () => {});
      resolve(server);
    });
  });
}

function askHolder(address: string): Promise<LockHolder | null> {
  return new Promise((resolve) => {
    let data = "";
    const conn = createConnection({ path: address });
    conn.setTimeout(500, () => conn.destroy());
    conn.on("data", (d) => (data += String(d)));
    conn.on("close", () => {
      try {
        resolve(JSON.parse(data) as LockHolder);
      } catch {
        resolve(null);
      }
    });
    conn.on("error", () => resolve(null));
  });
}

/**
 * Take the lock, waiting up to `timeoutMs` for a holder to finish.
 * `onWait` is told once who holds it, so the user knows why we pause;
 * `interrupted` (Ctrl+C) ends the wait at once.
 */
export async function acquireApplyLock(
  target: string,
  me: LockHolder,
  opts: { timeoutMs: number; onWait: (holder: LockHolder | null) => void; interrupted?: () => boolean },
): Promise<LockOutcome> {
  return acquire(lockAddress("apply", [target]), me, opts);
}

/** The send lock's address, for a test to hold it as another sender would. */
export function sendLockAddress(tmuxSocketPath: string, session: string): string {
  return lockAddress("send", [tmuxSocketPath, session]);
}

/** One sender at a time per agent session, so two messages never interleave in its input. */
export async function acquireSendLock(
  tmuxSocketPath: string,
  session: string,
  me: LockHolder,
  opts: { timeoutMs: number; onWait: (holder: LockHolder | null) => void; interrupted?: () => boolean },
): Promise<LockOutcome> {
  return acquire(sendLockAddress(tmuxSocketPath, session), me, opts);
}

export type LockOutcome = HeldLock | { readonly busy: LockHolder | null } | { readonly interrupted: true };

async function acquire(address: string, me: LockHolder, opts: { timeoutMs: number; onWait: (holder: LockHolder | null) => void; interrupted?: () => boolean }): Promise<LockOutcome> {
  const deadline = Date.now() + opts.timeoutMs;
  let told = false;
  for (;;) {
    if (opts.interrupted?.()) return { interrupted: true };
    const server = await tryListen(address, me);
    if (server) return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    const holder = await askHolder(address);
    if (Date.now() >= deadline) return { busy: holder };
    if (!told) {
      opts.onWait(holder);
      told = true;
    }
    await sleep(100);
  }
}
