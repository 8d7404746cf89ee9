import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * The user's folders as the XDG Base Directory spec names them, read from
 * the environment a command was given (not the process's own), so tests and
 * the demo can point them anywhere. A relative XDG_* value is ignored, as
 * the spec says.
 */
type Env = Readonly<Record<string, string | undefined>>;

export function homeDir(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

function xdgDir(env: Env, variable: "XDG_CONFIG_HOME" | "XDG_STATE_HOME", fallback: string): string {
  const value = env[variable];
  return value && isAbsolute(value) ? value : join(homeDir(env), fallback);
}

/** `$XDG_CONFIG_HOME` (`~/.config`). */
export function xdgConfigHome(env: Env): string {
  return xdgDir(env, "XDG_CONFIG_HOME", ".config");
}

/** `$XDG_CONFIG_HOME/mosaic` (`~/.config/mosaic`): the site roster and installed tools. */
export function mosaicConfigDir(env: Env): string {
  return join(xdgDir(env, "XDG_CONFIG_HOME", ".config"), "mosaic");
}

/** `$XDG_STATE_HOME/mosaic` (`~/.local/state/mosaic`): what mosaic remembers, and may lose without harm. */
export function mosaicStateDir(env: Env): string {
  return join(xdgDir(env, "XDG_STATE_HOME", join(".local", "state")), "mosaic");
}
