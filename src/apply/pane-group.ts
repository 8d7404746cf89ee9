import type { PaneProcess } from "../adapters/tmux.js";
import type { ProcessStat } from "../adapters/processes.js";

export type GroupVerdict = { readonly signal: true; readonly pgid: number } | { readonly signal: false; readonly why: string };

/**
 * Whether the process group of an agent's pane may be signalled. Decided
 * from two fresh reads made just before the signal, never from the plan's
 * observation or anything the agent prints: tmux's pid for the pane, read
 * by its exact pane id, and that pid's /proc entry.
 *
 * tmux starts every pane's process with setsid(), so a live pane's pid
 * leads its own session and process group. A dead pane's group is still
 * signalled (children started with nohup outlive their leader): while any
 * member lives, Linux keeps the group's id from being reused, so the id
 * names only the pane's leftovers. A live process at a dead pane's pid is
 * a stranger that reused the number, and is left alone.
 */
export function paneGroupVerdict(now: PaneProcess | undefined, proc: ProcessStat | null): GroupVerdict {
  if (!now) return { signal: false, why: "its pane is gone" };
  const pid = now.pid;
  if (!Number.isInteger(pid) || pid <= 1) return { signal: false, why: `tmux reported pid ${pid}` };
  const zombie = proc !== null && (proc.state === "Z" || proc.state === "X");
  if (!now.dead) {
    if (proc === null || zombie) return { signal: false, why: `pid ${pid} is not running` };
    if (proc.pgrp !== pid || proc.session !== pid) return { signal: false, why: `pid ${pid} does not lead its own process group (group ${proc.pgrp}, session ${proc.session})` };
    return { signal: true, pgid: pid };
  }
  if (proc === null || zombie) return { signal: true, pgid: pid };
  return { signal: false, why: `pid ${pid} of the dead pane now belongs to another process` };
}
