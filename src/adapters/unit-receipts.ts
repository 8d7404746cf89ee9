/**
 * Receipts that tell an agent unit's script that mosaic has just done the
 * session's work itself, so the unit's start or stop only records it
 * (framework/tools/lib/exec-tool.sh, `vouched`): systemd's view stays
 * right, and a fleet's start costs one batched tmux call instead of a
 * node process per agent.
 *
 * `<state folder>/vouched/<agent>.<start|stop>` (beside the launch folder,
 * `~/.local/state/mosaic/fleet`, which the units name) holds this process's pid
 * and its start time from /proc: a receipt vouches only while the mosaic
 * that wrote it lives (it waits on systemctl meanwhile), so one left by a
 * mosaic that was killed vouches for nothing, even once its pid is reused.
 * The folder is the user's (0700); another user can neither read nor write it.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { agentOfUnit } from "../identity/units.js";

/** A process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or null when there is no such process. */
function startTimeOf(pid: number | "self"): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return start !== undefined && /^\d+$/.test(start) ? start : null;
  } catch {
    return null;
  }
}

/** Run `call` (the systemctl call) with a receipt for each vouched unit's `verb`, removed afterwards whatever happens. */
export async function withReceipts<T>(launchDir: string, verb: string, units: readonly string[], call: () => Promise<T>): Promise<T> {
  const start = startTimeOf("self");
  const steps = verb === "restart" ? ["stop", "start"] : verb === "start" || verb === "stop" ? [verb] : [];
  const agents = units.flatMap((u) => agentOfUnit(u) ?? []);
  if (start === null || steps.length === 0 || agents.length === 0) return call();
  const dir = join(dirname(launchDir), "vouched");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  sweepStale(dir);
  const files = agents.flatMap((a) => steps.map((s) => join(dir, `${a}.${s}`)));
  try {
    for (const file of files) writeFileSync(file, `${process.pid} ${start}\n`, { mode: 0o600 });
    return await call();
  } finally {
    for (const file of files) rmSync(file, { force: true });
    // The folder goes too, once empty (another fleet's apply may have receipts in it: then it stays).
    try {
      rmdirSync(dir);
    } catch {
      // not empty, or gone: either is fine
    }
  }
}

/** Receipts left by a mosaic that was killed vouch for nothing; they are removed here, any other fleet's live ones kept. */
function sweepStale(dir: string): void {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    let live = false;
    try {
      const [pid, start] = readFileSync(file, "utf8").trim().split(" ");
      live = /^\d+$/.test(pid ?? "") && start !== undefined && startTimeOf(Number(pid)) === start;
    } catch {
      // unreadable: not one of ours to trust
    }
    if (!live) rmSync(file, { force: true });
  }
}
