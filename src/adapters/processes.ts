import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";

/** A process as /proc/PID/stat shows it: what decides whether its group may be signalled. */
export interface ProcessStat {
  /** R, S, D, Z (zombie), X (dead), ... */
  readonly state: string;
  readonly pgrp: number;
  readonly session: number;
}

/**
 * /proc/PID/stat, or null when no such process exists (or /proc cannot say).
 * Read synchronously: a /proc file is made in memory on read, and Node's
 * asynchronous readFile costs four thread-pool round trips per file. A pass
 * over 1,568 processes took 110 to 210 ms that way and 26 ms like this,
 * and a stop on a busy host makes such passes.
 */
export function readProcessStat(pid: number): ProcessStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  return parseProcessStat(stat);
}

/** The fields after the command name, which is in parentheses and may contain anything, `)` included. */
export function parseProcessStat(stat: string): ProcessStat | null {
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const pgrp = Number(rest[2]);
  const session = Number(rest[3]);
  if (!rest[0] || !Number.isInteger(pgrp) || !Number.isInteger(session)) return null;
  return { state: rest[0], pgrp, session };
}

/**
 * Signal a whole process group. Refuses a group id <= 1 outright: kill(0)
 * is the caller's own group and kill(-1) is every process it may signal.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to signal process group ${pgid}`);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "ESRCH") return false;
    throw err;
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours; treat as alive so we do not claim it stopped.
    return (err as { code?: string }).code === "EPERM";
  }
}

/**
 * Which of `pgids` still have a live member, at a cost that does not grow
 * with the host's other processes when it need not. kill(-pgid, 0) settles
 * a group with no process left; a group whose leader (pid = pgid) runs is
 * live, from one /proc read. kill() also answers for zombies, and the tmux
 * server reaps a dead pane's process lazily (seen here: for seconds, until
 * its next client connects), so only the groups left, with a dead leader
 * and some process still in them, are looked up in one pass over /proc,
 * zombies not counting.
 */
export function liveGroups(pgids: readonly number[]): Set<number> {
  const live = new Set<number>();
  const unsure: number[] = [];
  const leaders = pgids.filter(groupExists).map((pgid) => [pgid, readProcessStat(pgid)] as const);
  for (const [pgid, st] of leaders) {
    if (st && st.pgrp === pgid && st.state !== "Z" && st.state !== "X") live.add(pgid);
    else unsure.push(pgid);
  }
  if (unsure.length === 0) return live;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    for (const pgid of unsure) live.add(pgid); // no /proc: trust kill()
    return live;
  }
  const wanted = new Set(unsure);
  const stats = entries.filter((e) => /^\d+$/.test(e)).map((e) => readProcessStat(Number(e)));
  for (const st of stats) {
    if (st && wanted.has(st.pgrp) && st.state !== "Z" && st.state !== "X") live.add(st.pgrp);
  }
  return live;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type GroupStop = "not-running" | "terminated" | "killed";

/** The first looks come quickly (most agents end within milliseconds of TERM), later ones less often. */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 200;

/**
 * TERM every group at once, then wait for all of them together, each for
 * its own grace period, and KILL those still there when theirs ends: the
 * stop of many agents takes about the longest grace, not their sum. Each
 * group must have been checked with paneGroupVerdict() just before.
 */
export async function stopProcessGroups(groups: readonly { readonly pgid: number; readonly graceMs: number }[]): Promise<Map<number, GroupStop>> {
  const outcome = new Map<number, GroupStop>();
  const start = Date.now();
  const waiting = new Map<number, number>(); // pgid -> deadline
  for (const { pgid, graceMs } of groups) {
    if (!signalGroup(pgid, "SIGTERM")) {
      outcome.set(pgid, "not-running");
      continue;
    }
    // A group whose leader ignored TERM may have stopped members: CONT lets them see the TERM.
    signalGroup(pgid, "SIGCONT");
    waiting.set(pgid, start + graceMs);
  }
  const killed = new Map<number, number>(); // pgid -> when to stop waiting for it
  let pause = FIRST_POLL_MS;
  while (waiting.size > 0 || killed.size > 0) {
    const live = liveGroups([...waiting.keys(), ...killed.keys()]);
    const now = Date.now();
    for (const [pgid, deadline] of waiting) {
      if (!live.has(pgid)) {
        outcome.set(pgid, "terminated");
        waiting.delete(pgid);
      } else if (now >= deadline) {
        signalGroup(pgid, "SIGKILL");
        outcome.set(pgid, "killed");
        waiting.delete(pgid);
        killed.set(pgid, now + 1000);
      }
    }
    for (const [pgid, until] of killed) if (!live.has(pgid) || now >= until) killed.delete(pgid);
    if (waiting.size === 0 && killed.size === 0) break;
    // Never past the next deadline, so a KILL is not late.
    const next = Math.min(...[...waiting.values()], ...(killed.size > 0 ? [Date.now() + FIRST_POLL_MS] : []));
    await sleep(Math.max(1, Math.min(pause, next - Date.now())));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
  return outcome;
}

/**
 * Start `argv` in a session of its own (setsid), outside this process's
 * group and terminal, with output appended to `logPath`; it outlives this
 * process. Returns its pid.
 */
export async function spawnDetached(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, logPath: string): Promise<number> {
  await mkdir(dirname(logPath), { recursive: true, mode: 0o700 });
  const log = await open(logPath, "a", 0o600);
  try {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ["ignore", log.fd, log.fd], env: env as NodeJS.ProcessEnv });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid!));
      child.once("error", reject);
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}

/** End this process at once, with no clean-up, as a power cut or the OOM killer would (the fault tests' hook). */
export function killThisProcess(): void {
  process.kill(process.pid, "SIGKILL");
}

/** The signals that ask a command to stop: Ctrl+C, `kill` or `timeout`, a closed terminal or ssh session. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** A shell's exit status for a process a signal ended: what a tool stopped before it did anything reports. */
export function signalledStatus(signal: StopSignal): number {
  return 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal];
}

/**
 * Run `body` with the stop signals caught rather than fatal: `onSignal`
 * hears each one with how many came so far (the first usually asks the
 * command to finish what it is doing; a second, to end now) and which
 * signal it was (for a report that says what stopped it), and the
 * default returns once `body` settles.
 */
export async function catchingStopSignals<T>(onSignal: (count: number, signal: StopSignal) => void, body: () => Promise<T>): Promise<T> {
  let count = 0;
  const handler = (signal: StopSignal) => onSignal(++count, signal);
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  try {
    return await body();
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  }
}

/**
 * Wait until process `pid` has ended (gone, or a zombie: it runs nothing
 * more), for at most `timeoutMs`; whether it ended. For a process this one
 * asked to end by other means, e.g. a tmux server after `kill-server`,
 * which returns before the server has exited (measured with tmux 3.3a:
 * the server was still there every time, right after).
 */
export async function waitForProcessEnd(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = FIRST_POLL_MS;
  for (;;) {
    const st = readProcessStat(pid);
    if (st === null || st.state === "Z" || st.state === "X") return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.max(1, Math.min(pause, deadline - Date.now())));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}
