import { DEFAULT_SOCKET } from "../roster/types.js";

/** Same as the schema's `socket` pattern: a plain file name under tmux's socket folder. */
const SOCKET_CHARS = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Why `name` cannot be the fleet's tmux socket (`tmux -L NAME`), or
 * undefined if it can. A leading '-' would read as an option wherever a
 * user types `tmux -L NAME`. `default` is the socket of the user's own tmux
 * server: running the fleet there would mix its sessions with the user's,
 * which the design forbids. Shared by the roster and the `--socket` option.
 */
export function socketNameProblem(name: string): string | undefined {
  if (!SOCKET_CHARS.test(name)) return "may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)";
  if (name.startsWith("-")) return "must start with a letter, digit or '_'";
  if (name === "default") return `is the default tmux server's socket; the fleet needs a socket of its own, e.g. ${DEFAULT_SOCKET}`;
  return undefined;
}
