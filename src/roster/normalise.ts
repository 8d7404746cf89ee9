import { specHash } from "../identity/hash.js";
import type { FileEnv } from "./env-files.js";
import { resolveCommand, resolveCwd } from "./agent-paths.js";
import { DEFAULT_BACKEND, DEFAULT_SOCKET, type AgentSpec, type BackendChoice, type DesiredFleet, type SpecChangePolicy } from "./types.js";

/** Agent settings as the schema admits them (snake_case, all optional). */
export interface RawAgentSettings {
  command?: string;
  args?: string[];
  resume_args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  env_file?: string | string[];
  enabled?: boolean;
  on_spec_change?: SpecChangePolicy;
  stop_grace_seconds?: number;
  ready_after_seconds?: number;
  submit?: { key?: string; settle_ms?: number };
}

/**
 * A roster that passed the schema. Top-level `x-` keys may be present too;
 * they only hold anchors for the rest of the file, so nothing here reads them.
 */
export interface RawRoster {
  version?: 1;
  socket?: string;
  backend?: BackendChoice;
  defaults?: RawAgentSettings;
  agents: (RawAgentSettings & { name: string })[];
}

export const AGENT_DEFAULTS = {
  cwd: "~",
  enabled: true,
  onSpecChange: "replace" as SpecChangePolicy,
  stopGraceSeconds: 5,
  readyAfterSeconds: 1,
  submitKey: "Enter",
  settleMs: 200,
} as const;

/**
 * Apply roster defaults and resolve paths. Only for a roster that passed the
 * schema and crossCheckRoster(), so every agent has a unique name and a command.
 */
export function normaliseRoster(raw: RawRoster, ctx: { rosterPath: string; home: string; pathsFrom?: string; fileEnv?: FileEnv }): DesiredFleet {
  const d = raw.defaults ?? {};
  // Relative paths start at the roster file's own folder, whichever link named it.
  const paths = { rosterPath: ctx.pathsFrom ?? ctx.rosterPath, home: ctx.home };
  const agents: AgentSpec[] = raw.agents.map((a, i) => {
    const identity = {
      command: resolveCommand(a.command ?? d.command ?? "", paths),
      args: a.args ?? d.args ?? [],
      resumeArgs: a.resume_args ?? d.resume_args ?? [],
      cwd: resolveCwd(a.cwd ?? d.cwd ?? AGENT_DEFAULTS.cwd, paths),
      // env_file values first, so `env` wins over a file (compose's order), as an agent's file wins over the defaults'.
      env: { ...ctx.fileEnv?.defaults, ...ctx.fileEnv?.agents[i], ...d.env, ...a.env },
    };
    return {
      name: a.name,
      ...identity,
      enabled: a.enabled ?? d.enabled ?? AGENT_DEFAULTS.enabled,
      onSpecChange: a.on_spec_change ?? d.on_spec_change ?? AGENT_DEFAULTS.onSpecChange,
      stopGraceSeconds: a.stop_grace_seconds ?? d.stop_grace_seconds ?? AGENT_DEFAULTS.stopGraceSeconds,
      readyAfterSeconds: a.ready_after_seconds ?? d.ready_after_seconds ?? AGENT_DEFAULTS.readyAfterSeconds,
      submit: {
        key: a.submit?.key ?? d.submit?.key ?? AGENT_DEFAULTS.submitKey,
        settleMs: a.submit?.settle_ms ?? d.submit?.settle_ms ?? AGENT_DEFAULTS.settleMs,
      },
      specHash: specHash(identity),
    };
  });

  agents.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return {
    rosterPath: ctx.rosterPath,
    socket: raw.socket ?? DEFAULT_SOCKET,
    backend: raw.backend ?? DEFAULT_BACKEND,
    agents,
    defaults: { stopGraceSeconds: d.stop_grace_seconds ?? AGENT_DEFAULTS.stopGraceSeconds },
  };
}
