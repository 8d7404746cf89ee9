import { join, resolve } from "node:path";
import { mosaicConfigDir } from "../xdg.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The site-owned roster: never shipped, never overwritten without --force. */
export function siteRosterPath(env: Env): string {
  return join(mosaicConfigDir(env), "fleet", "roster.yaml");
}

/** `--roster PATH` wins; otherwise the site roster. */
export function resolveRosterPath(option: string | undefined, env: Env, cwd: string): string {
  return option !== undefined ? resolve(cwd, option) : siteRosterPath(env);
}
