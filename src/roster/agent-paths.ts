import { dirname, isAbsolute, join, resolve } from "node:path";

/** Where an agent's relative paths start from, and what `~` means. */
export interface PathBase {
  readonly rosterPath: string;
  readonly home: string;
}

/**
 * Why a `cwd` or `command` cannot be used as written, or undefined. Only
 * `~` and `~/...` are expanded: `~user`, `~+` and friends are shell syntax,
 * and taking them literally would make a folder named `~user` beside the
 * roster instead of the home directory the user meant.
 */
export function tildeProblem(path: string): string | undefined {
  if (path.startsWith("~") && path !== "~" && !path.startsWith("~/")) {
    return "~user paths are not expanded; write an absolute path or one starting with ~/";
  }
  return undefined;
}

/** `~` is the home folder; a relative path is relative to the roster's folder. */
export function resolveCwd(cwd: string, base: PathBase): string {
  if (cwd === "~") return base.home;
  if (cwd.startsWith("~/")) return join(base.home, cwd.slice(2));
  return isAbsolute(cwd) ? resolve(cwd) : resolve(dirname(base.rosterPath), cwd);
}

/**
 * A bare name (`pi`) is looked up on PATH when the agent starts. A path
 * (anything with a `/`) names one file: `~/` is the home folder, and a
 * relative path starts at the roster's folder, like `cwd`, never at
 * whatever folder the agent happens to start in. An absolute path stays
 * exactly as written.
 */
export function resolveCommand(command: string, base: PathBase): string {
  if (!command.includes("/")) return command;
  if (command.startsWith("~/")) return join(base.home, command.slice(2));
  return isAbsolute(command) ? command : resolve(dirname(base.rosterPath), command);
}

const ENV_READS_EQUALS = 'env, which starts every agent, would read it as a variable assignment and run nothing; use a path without "=" (a symbolic link will do)';

/** For a command written with "=", which the schema refuses. */
export const COMMAND_WITH_EQUALS = `contains "=": ${ENV_READS_EQUALS}`;

/**
 * Why `command` cannot be launched, or undefined. Every agent starts as
 * `env -- COMMAND ARGS...`, and env takes any NAME=VALUE word before the
 * command for an assignment, even after `--`: a command with "=" would
 * never run. A relative or `~/` command can gain one from the folder it
 * resolves against, so the resolved path is checked too.
 */
export function commandProblem(command: string, base: PathBase): string | undefined {
  if (command.includes("=")) return COMMAND_WITH_EQUALS;
  const resolved = resolveCommand(command, base);
  if (resolved.includes("=")) return `resolves to ${resolved}, which contains "=": ${ENV_READS_EQUALS}`;
  return undefined;
}
