import { writeFileAtomic } from "../adapters/fs.js";
import { killThisProcess } from "../adapters/processes.js";
import { isPreflightStage, PREFLIGHT_STAGE_NAMES, type PreflightStage } from "../release/checklist.js";
import type { Scratch } from "../release/scratch.js";
import { UserError } from "../errors.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * For the fault tests only: MOSAIC_TEST_KILL_AFTER_STEP=K makes this process
 * kill itself with SIGKILL right after the K-th step of an apply (or of an
 * install-systemd or update), the way a power cut or an OOM kill would end
 * it, so a test can check that the next run converges from wherever it
 * stopped. Unset in any real use.
 */
export function faultInjection(env: Env): { stepDone?: (count: number) => void } {
  const k = env.MOSAIC_TEST_KILL_AFTER_STEP;
  if (k === undefined || !/^[1-9][0-9]*$/.test(k)) return {};
  return { stepDone: (count) => (count === Number(k) ? killThisProcess() : undefined) };
}

/**
 * For the preflight's signal tests only: MOSAIC_TEST_PREFLIGHT_HOLD=STAGE
 * makes `fleet preflight`, as STAGE begins, write where its scratch fleet
 * is to the file MOSAIC_TEST_PREFLIGHT_HELD names (JSON: stage, pid, dir,
 * socket, tmux_tmpdir), then wait for a stop signal. A test then signals
 * it during exactly that stage, with no sleep and no race with the stage's
 * work. Unset in any real use; a stage name that does not exist is refused,
 * so a test cannot wait for a marker that will never come.
 */
export function preflightHold(env: Env, stop: AbortSignal): { beforeStage?: (stage: PreflightStage, scratch: Scratch) => Promise<void> } {
  const at = env.MOSAIC_TEST_PREFLIGHT_HOLD;
  const marker = env.MOSAIC_TEST_PREFLIGHT_HELD;
  if (at === undefined || marker === undefined) return {};
  if (!isPreflightStage(at)) throw new UserError(`MOSAIC_TEST_PREFLIGHT_HOLD: no stage "${at}"; the stages are: ${PREFLIGHT_STAGE_NAMES.join(", ")}`);
  return {
    beforeStage: async (stage, scratch) => {
      if (stage !== at) return;
      const held = { stage, pid: process.pid, dir: scratch.dir, socket: scratch.socket, tmux_tmpdir: scratch.tmuxTmpdir };
      await writeFileAtomic(marker, `${JSON.stringify(held)}\n`);
      if (stop.aborted) return;
      // A signal listener does not keep Node's event loop alive; without a timer the process would just end here.
      const alive = setInterval(() => undefined, 1 << 30);
      await new Promise((resolve) => stop.addEventListener("abort", resolve, { once: true }));
      clearInterval(alive);
    },
  };
}
