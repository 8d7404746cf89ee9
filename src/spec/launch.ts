import type { SessionLabels } from "../adapters/tmux.js";
import type { AgentSpec } from "../roster/types.js";
import { formatSpecFields } from "./fields.js";

/** What a pane runs: shared by the planner, the pre-launch checks and the executor. */
export interface LaunchSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The full launch environment: the roster's plus MOSAIC_* variables. */
  readonly env: Readonly<Record<string, string>>;
}

/** An agent's launch: its command and arguments, the resume arguments unless `fresh`. */
export function agentLaunch(agent: AgentSpec, socket: string, fresh: boolean): LaunchSpec {
  return {
    argv: [agent.command, ...agent.args, ...(fresh ? [] : agent.resumeArgs)],
    cwd: agent.cwd,
    env: { ...agent.env, MOSAIC_AGENT_NAME: agent.name, MOSAIC_FLEET_SOCKET: socket },
  };
}

/** The labels a launched session carries; the observer reads them back. */
export function launchLabels(x: {
  readonly specHash: string;
  readonly specFields: Readonly<Record<string, string>>;
  readonly launch: "resume" | "new";
  readonly stopGraceSeconds: number;
  /** The roster launching it; null for the holder, which every roster on the socket shares. */
  readonly rosterId: string | null;
}): SessionLabels {
  const labels: SessionLabels = { managed: "1", spec: x.specHash, specFields: formatSpecFields(x.specFields), launch: x.launch, stopGrace: String(x.stopGraceSeconds) };
  return x.rosterId === null ? labels : { ...labels, roster: x.rosterId };
}
