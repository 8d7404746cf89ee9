import { spawn } from "node:child_process";
import { mkdir, open, readdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A process as /proc/PID/stat shows it: what decides whether its group may be signalled. */
export interface ProcessStat {
  /** R, S, D, Z (zombie), X (dead), ... */
  readonly state: string;
  readonly pgrp: number;
  readonly session: number;
}

/** /proc/PID/stat, or null when no such process exists (or /proc cannot say). */
export async function readProcessStat(pid: number): Promise<ProcessStat | null> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, "utf8");
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
 * Whether any process of the group still runs. kill(-pgid, 0) also answers
 * for zombies, and the tmux server reaps a dead pane's process lazily
 * (seen here: for seconds, until its next client connects), so on Linux
 * the group's members are read from /proc and zombies do not count.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  if (!groupExists(pgid)) return false;
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return true; // no /proc: trust kill()
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const st = await readProcessStat(Number(entry));
    if (st && st.pgrp === pgid && st.state !== "Z" && st.state !== "X") return true;
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * TERM the group, wait up to `graceMs` for it to go, then KILL. Returns how
 * it ended, for the apply report. The group must have been checked with
 * paneGroupCheck() just before.
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<"not-running" | "terminated" | "killed"> {
  if (!signalGroup(pgid, "SIGTERM")) return "not-running";
  // A group whose leader ignored TERM may have stopped members: CONT lets them see the TERM.
  signalGroup(pgid, "SIGCONT");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await groupAlive(pgid))) return "terminated";
    await sleep(25);
  }
  signalGroup(pgid, "SIGKILL");
  for (let i = 0; i < 40 && (await groupAlive(pgid)); i++) await sleep(25);
  return "killed";
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
