import { randomBytes } from "node:crypto";
import { readTextFileIfExists, removeFileIfExists, writeFileAtomic } from "../adapters/fs.js";
import { acquireLock, sendLockFile, type LockHolder } from "../adapters/lock.js";
import { CANONICAL_LINE_BYTES, readsLines } from "../adapters/tty.js";
import { sleep } from "../adapters/processes.js";
import type { TmuxClient } from "../adapters/tmux.js";

/**
 * Typing a message into one pane and submitting it: the delivery under
 * every send (`mosaic agent send`, agent-send.sh, send-message.sh).
 *
 * - The text goes into a tmux buffer of its own and is pasted once
 *   (TmuxClient.pasteText), never through send-keys or a command line.
 * - TUI agents lose a submit key that comes while they still take in a
 *   paste, leaving the message typed but unsent. So: paste, wait the
 *   settle delay, wait for the pane to show the text, press the key, and
 *   check the pane changed; if it did not, press it again, three times in all.
 * - One sender at a time per session (a lock), so messages never interleave.
 * - From the paste on, a stop request no longer stops it: the submit is
 *   finished first, or the next message would be glued to this one. A
 *   marker beside the socket names the pane while a text is typed but not
 *   submitted; every exit removes it, so one that is left says a sender
 *   was killed outright (SIGKILL) in between, and the next send to that
 *   pane submits the leftover on its own first.
 */
export interface TypeRequest {
  readonly tmux: TmuxClient;
  /** The fleet's socket file: the lock is per socket and session, and the marker lives beside it (the user's 0700 folder). */
  readonly socketPath: string;
  readonly paneId: string;
  /** The text exactly as it is to arrive (already checked and framed). */
  readonly text: string;
  readonly key: string;
  readonly settleMs: number;
  /** How long each check waits for the pane to change. */
  readonly confirmMs: number;
  /** How long to wait for another sender to the same session. */
  readonly lockMs: number;
  readonly me: LockHolder;
  /** Asked before the paste: true ends the send with nothing typed. */
  readonly stopRequested: () => boolean;
  readonly warn: (text: string) => void;
}

/** 0 delivered; 1 nothing was sent; 3 typed but not seen taken (`message` says how far it got). `interrupted`: stopped before the paste. */
export type TypeOutcome = { readonly status: 0 } | { readonly status: 1 | 3; readonly message: string; readonly interrupted?: true };

const POLL_MS = 50;
const nothing = (message: string, interrupted = false): TypeOutcome => ({ status: 1, message: `${message}; nothing was sent`, ...(interrupted ? { interrupted: true as const } : {}) });

export async function typeMessage(req: TypeRequest): Promise<TypeOutcome> {
  const { tmux, paneId: pane } = req;
  const first = await tmux.paneState(pane);
  if (first === null) return nothing(`no pane ${pane} on socket ${tmux.socket}`);
  const lock = await acquireLock(sendLockFile(req.socketPath, first.session), req.me, { timeoutMs: req.lockMs, onWait: () => {}, interrupted: req.stopRequested });
  if ("interrupted" in lock) return nothing("interrupted before the text was typed", true);
  if ("busy" in lock) return nothing(`another message to session ${first.session} was still being typed after ${Math.round(req.lockMs / 1000)}s`);
  const marker = `${req.socketPath}.send-${first.session.replace(/[^A-Za-z0-9_-]/g, "_")}.pending`;
  let typed = false;
  try {
    const now = await tmux.paneState(pane);
    if (now === null) return nothing(`pane ${pane} on socket ${tmux.socket} is gone`);
    if (now.dead) return nothing(`pane ${pane} on socket ${tmux.socket} is dead`);
    if (now.inMode) await tmux.leaveCopyMode(pane);
    const cut = await cutShort(now.tty, req.text);
    if (cut !== null) return nothing(cut);
    const leftover = await readTextFileIfExists(marker);
    if (leftover !== undefined) {
      if (leftover === pane) {
        await tmux.pressKey(pane, req.key);
        req.warn(`a message to pane ${pane} was cut off after it was typed; submitted it first`);
        await sleep(req.settleMs);
      }
      await removeFileIfExists(marker);
    }
    if (req.stopRequested()) return nothing("interrupted before the text was typed", true);

    const before = (await tmux.captureScreen(pane)) ?? "";
    await writeFileAtomic(marker, pane, 0o600);
    typed = true;
    const pasted = await tmux.pasteText(pane, `mosaic-send-${process.pid}-${randomBytes(4).toString("hex")}`, req.text);
    if (!pasted.ok) return nothing(`tmux could not paste into pane ${pane} (${pasted.stderr.trim()})`);

    await sleep(req.settleMs);
    let shown = await changedFrom(tmux, pane, before, req.confirmMs);
    if (shown === null) return { status: 3, message: `pasted the text into pane ${pane}, but the pane did not show it within ${req.confirmMs}ms; it was not submitted` };
    shown = await settled(tmux, pane, shown);
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (!(await tmux.pressKey(pane, req.key)).ok) return { status: 3, message: `typed the text into pane ${pane}, but it was gone before ${req.key} could submit it` };
      const after = await changedFrom(tmux, pane, shown, req.confirmMs);
      if (after !== null) return { status: 0 };
      if (attempt < 3) await sleep(req.settleMs);
    }
    return { status: 3, message: `typed the text into pane ${pane} and pressed ${req.key} three times, but the pane did not change: the agent may not have taken it` };
  } finally {
    if (typed) await removeFileIfExists(marker);
    await lock.release();
  }
}

/** What the pane shows once it differs from `from`, looking for up to `ms`; null if it never does. */
async function changedFrom(tmux: TmuxClient, pane: string, from: string, ms: number): Promise<string | null> {
  for (let i = 0; i <= ms / POLL_MS; i++) {
    const shown = (await tmux.captureScreen(pane)) ?? "";
    if (shown !== from) return shown;
    await sleep(POLL_MS);
  }
  return null;
}

/**
 * Waits, at most half a second, until two looks 50 ms apart agree: the
 * agent has drawn the whole paste. A pane that never settles (a clock)
 * goes on with what it showed last.
 */
async function settled(tmux: TmuxClient, pane: string, shown: string): Promise<string> {
  let last = shown;
  for (let i = 0; i < 10; i++) {
    await sleep(POLL_MS);
    const next = (await tmux.captureScreen(pane)) ?? "";
    if (next === last) return next;
    last = next;
  }
  return last;
}

/**
 * Why the text would arrive cut short, or null: a line longer than the
 * kernel passes to a program that reads its terminal line by line (its
 * terminal in canonical mode: a shell's `read`, a line-based REPL). A TUI
 * turns that mode off and gets any size; stty is asked only for a line
 * that long.
 */
async function cutShort(tty: string | null, text: string): Promise<string | null> {
  const lines = text.split("\n");
  const at = lines.findIndex((l) => Buffer.byteLength(l) > CANONICAL_LINE_BYTES);
  if (at === -1 || tty === null || (await readsLines(tty)) !== true) return null;
  return `line ${at + 1} is ${Buffer.byteLength(lines[at]!)} bytes, and this agent reads its terminal line by line (canonical mode), where the kernel passes at most ${CANONICAL_LINE_BYTES} bytes of a line and drops the rest: split the line, or send the text as a file the agent reads`;
}
