import { Option } from "clipanion";
import type { LockHolder } from "../adapters/lock.js";
import { catchingStopSignals } from "../adapters/processes.js";
import { reconcile, type ReconcileIO, type ReconcileResult } from "../apply/reconcile.js";
import { finishCommand, renderApplyResult, type ApplyTarget } from "../render/apply-summary.js";
import type { Style } from "../render/style.js";

/**
 * What every command that applies shares around reconcile(): its lock
 * option, its signal handling and the end of its output, so the fleet's
 * commands and `install-systemd`/`update` behave alike.
 */

/** `--lock-timeout`; `whose`: the apply it waits for, in the user's words. */
export function lockTimeoutOption(whose: string) {
  return Option.String("--lock-timeout", "60", { description: `Seconds to wait for ${whose} to finish (default 60)` });
}

/** Who holds the lock, as a contender is told. */
export function lockHolder(commandPath: readonly string[]): LockHolder {
  return { pid: process.pid, command: `mosaic ${commandPath.join(" ")}`, since: new Date().toISOString() };
}

/** Where an applying command writes. */
export interface ApplyConsole {
  readonly print: (text: string) => void;
  readonly printErr: (text: string) => void;
  readonly style: Style;
}

/** What the signal handling gives the reconcile it wraps. */
export interface ApplySignals {
  readonly interrupted: () => boolean;
  readonly changing: () => void;
  /** Aborted by the first signal: a prompt open then is answered "no". */
  readonly prompt: AbortSignal;
}

/**
 * Reconcile to `intent` with Ctrl+C, a TERM or a hangup (an ssh session
 * gone) handled. Before any change the apply is cancelled (the lock wait
 * and the prompt end at once). While changes run, the step under way
 * finishes, nothing more starts, and the summary says what was done:
 * stopping halfway through a step could leave a session or a file half
 * made. A second signal ends it at once, as Terraform's does.
 */
export async function reconcileWithSignals<I extends ApplyTarget, O>(intent: I, out: ApplyConsole, io: (signals: ApplySignals) => ReconcileIO<I, O>): Promise<ReconcileResult> {
  let interrupted = false;
  let changing = false;
  const prompt = new AbortController();
  const onSignal = (count: number) => {
    if (count > 1) {
      out.printErr(`\n${out.style.yellow("Interrupted again:")} stopping now; run \`${finishCommand(intent)}\` to finish.`);
      process.exit(130);
    }
    interrupted = true;
    if (changing) out.printErr(`\n${out.style.yellow("Interrupted:")} finishing the step under way, then stopping...`);
    prompt.abort();
  };
  const signals: ApplySignals = { interrupted: () => interrupted, changing: () => (changing = true), prompt: prompt.signal };
  return catchingStopSignals(onSignal, () => reconcile(intent, io(signals)));
}

/** The end of an apply's output, and its exit code. */
export function reportReconcile(result: ReconcileResult, target: ApplyTarget, out: ApplyConsole): number {
  switch (result.kind) {
    case "no-changes":
      return 0;
    case "errored":
      out.printErr(`${out.style.red("error:")} the plan has errors (above); nothing was changed`);
      return 1;
    case "declined":
      out.print("Apply cancelled; nothing was changed.");
      return result.interrupted ? 130 : 1;
    case "applied": {
      const r = renderApplyResult(result, target, out.style);
      if (r.stdout !== "") out.print(r.stdout);
      if (r.stderr !== "") out.printErr(r.stderr);
      return result.interrupted ? 130 : r.ok ? 0 : 1;
    }
  }
}
