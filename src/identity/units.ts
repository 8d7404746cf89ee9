import { HOLDER_SESSION } from "../roster/types.js";

/**
 * The fleet's systemd user units: one holder, and one instance of the
 * agent template per agent (`%i` is the agent's name, which the roster
 * keeps to characters a unit instance takes as they are).
 */
export const HOLDER_UNIT = "mosaic-tmux-holder.service";
export const AGENT_TEMPLATE = "mosaic-agent@.service";

export const UNIT_FILES = [HOLDER_UNIT, AGENT_TEMPLATE] as const;

export function agentUnit(name: string): string {
  return `mosaic-agent@${name}.service`;
}

/** The unit that starts a session: the holder's for `_holder`, else the agent's instance. */
export function unitOfSession(session: string): string {
  return session === HOLDER_SESSION ? HOLDER_UNIT : agentUnit(session);
}

/** The agent an instance unit runs, or null for any other unit name. */
export function agentOfUnit(unit: string): string | null {
  const m = /^mosaic-agent@(.+)\.service$/.exec(unit);
  return m ? m[1]! : null;
}

/**
 * The PATH an agent started by its unit gets: the `Environment=PATH=` of
 * the installed agent template, with `%h` as the home folder (tmux hands a
 * new pane the PATH of the client that asked for it, here the unit's
 * start-agent-session.sh). null when the template sets none.
 */
export function unitAgentPath(template: string, home: string): string | null {
  const m = /^Environment=PATH=(.*)$/m.exec(template);
  return m ? m[1]!.trim().replaceAll("%h", home) : null;
}
