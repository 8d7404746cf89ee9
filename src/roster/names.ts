import { HOLDER_SESSION } from "./types.js";

/**
 * Why `name` cannot be an agent name, or undefined if it can. tmux reads
 * '.' and ':' in a target as window/pane syntax and silently rewrites them
 * to '_' in new session names, so they must never get this far.
 */
export function agentNameProblem(name: string): string | undefined {
  if (name === HOLDER_SESSION) return `is reserved for the session that keeps the fleet's tmux server alive`;
  if (name.length === 0) return "must not be empty";
  if (!/^[a-z0-9_-]*$/.test(name)) return "may contain only a-z, 0-9, '-' and '_'";
  if (!/^[a-z0-9]/.test(name)) return "must start with a letter or digit";
  if (name.length > 64) return "must be at most 64 characters";
  return undefined;
}
