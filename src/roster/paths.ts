import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

export function homeDir(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

/** `$XDG_CONFIG_HOME/mosaic`, falling back to `~/.config/mosaic` as the XDG spec says. */
export function mosaicConfigDir(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homeDir(env), ".config");
  return join(base, "mosaic");
}

/** The site-owned roster: never shipped, never overwritten without --force. */
export function siteRosterPath(env: Env): string {
  return join(mosaicConfigDir(env), "fleet", "roster.yaml");
}

/** `--roster PATH` wins; otherwise the site roster. */
export function resolveRosterPath(option: string | undefined, env: Env, cwd: string): string {
  return option !== undefined ? resolve(cwd, option) : siteRosterPath(env);
}
