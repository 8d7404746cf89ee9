import { readdir, readFile } from "node:fs/promises";

/**
 * Signals to an agent's process group. The pane's process is a session
 * leader (tmux calls setsid), so its pid is also its process group id, and
 * signalling -pid reaches the agent and every child it did not detach.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
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
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the command name, which is in parentheses and may contain anything.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = rest[0];
    const pgrp = Number(rest[2]);
    if (pgrp === pgid && state !== "Z" && state !== "X") return true;
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * TERM the group, wait up to `graceMs` for it to go, then KILL. Returns how
 * it ended, for the apply report.
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<"not-running" | "terminated" | "killed"> {
  if (!signalGroup(pgid, "SIGTERM")) return "not-running";
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await groupAlive(pgid))) return "terminated";
    await sleep(25);
  }
  signalGroup(pgid, "SIGKILL");
  for (let i = 0; i < 40 && (await groupAlive(pgid)); i++) await sleep(25);
  return "killed";
}
