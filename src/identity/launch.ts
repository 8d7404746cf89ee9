import type { SessionLaunch } from "./launch-file.js";
import type { SessionLabels } from "./session-label.js";
import { HOLDER_SESSION, type AgentSpec } from "../roster/types.js";
import { formatSpecFields, specFieldDigests } from "./fields.js";
import { HOLDER_IDENTITY, HOLDER_SPEC_HASH } from "./holder.js";

/** How an agent is launched: resuming its last conversation, or a new one (`agent reset --new`). */
export type LaunchVariant = "resume" | "new";

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

/** The session as it will be launched. */
export interface SessionAfter {
  readonly role: "holder" | "agent";
  readonly name: string;
  /** What the pane runs, resume arguments included unless launch is "new". */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** The full launch environment: the roster's plus MOSAIC_* variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly specHash: string;
  /** Digests per spec field (spec/fields.ts), recorded so a later plan can say what changed. */
  readonly specFields: Readonly<Record<string, string>>;
  readonly launch: LaunchVariant;
  /** Seconds the new pane must stay alive before the apply counts it as started. */
  readonly readyAfterSeconds: number;
  /** Recorded on the session, for a stop without the roster. */
  readonly stopGraceSeconds: number;
  /** The roster it is launched for (spec/roster-id.ts); null for the shared holder. */
  readonly rosterId: string | null;
}

/**
 * An agent's session as it will be launched: the one definition the
 * planner, the pre-launch checks and the launch files all use.
 */
export function agentSession(agent: AgentSpec, socket: string, fresh: boolean, rosterId: string | null): SessionAfter {
  return {
    role: "agent",
    name: agent.name,
    ...agentLaunch(agent, socket, fresh),
    specHash: agent.specHash,
    specFields: specFieldDigests(agent),
    launch: fresh ? "new" : "resume",
    readyAfterSeconds: agent.readyAfterSeconds,
    stopGraceSeconds: agent.stopGraceSeconds,
    rosterId,
  };
}

/** The holder's session: shared by every roster on the socket, so it records none. */
export function holderSession(stopGraceSeconds: number): SessionAfter {
  return {
    role: "holder",
    name: HOLDER_SESSION,
    argv: [HOLDER_IDENTITY.command, ...HOLDER_IDENTITY.args],
    cwd: HOLDER_IDENTITY.cwd,
    env: {},
    specHash: HOLDER_SPEC_HASH,
    specFields: specFieldDigests(HOLDER_IDENTITY),
    launch: "resume",
    readyAfterSeconds: 0,
    stopGraceSeconds,
    rosterId: null,
  };
}

/** What tmux is asked to start for a session: its launch and the labels it carries. */
export function sessionLaunch(after: SessionAfter): SessionLaunch {
  return { name: after.name, argv: after.argv, cwd: after.cwd, env: after.env, labels: launchLabels(after) };
}

/** The labels a launched session carries; the observer reads them back. */
export function launchLabels(x: Pick<SessionAfter, "specHash" | "specFields" | "launch" | "stopGraceSeconds" | "rosterId">): SessionLabels {
  const labels: SessionLabels = { managed: "1", spec: x.specHash, specFields: formatSpecFields(x.specFields), launch: x.launch, stopGrace: String(x.stopGraceSeconds) };
  return x.rosterId === null ? labels : { ...labels, roster: x.rosterId };
}
