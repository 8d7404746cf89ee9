import { join } from "node:path";
import { readFileState } from "../adapters/fs.js";
import { readLaunchFile, type LaunchFile } from "../identity/launch-file.js";
import { socketNameProblem } from "../identity/socket-name.js";
import { HOLDER_SESSION } from "../roster/types.js";
import { homeDir } from "../xdg.js";

type Env = Readonly<Record<string, string | undefined>>;

/** A roster agent's name, or the holder's: anything else could be read as a path, an option or a tmux target. */
const SESSION_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function sessionNameProblem(name: string): string | null {
  return SESSION_NAME.test(name) || name === HOLDER_SESSION ? null : `not an agent name: ${name}`;
}

/** The launch folder: as given, else $MOSAIC_LAUNCH_DIR, else ${XDG_STATE_HOME:-~/.local/state}/mosaic/fleet. */
export function launchDirOf(given: string | undefined, env: Env): string {
  if (given !== undefined && given !== "") return given;
  if (env.MOSAIC_LAUNCH_DIR) return env.MOSAIC_LAUNCH_DIR;
  return join(env.XDG_STATE_HOME || join(homeDir(env), ".local", "state"), "mosaic", "fleet");
}

export type LaunchSource = { readonly kind: "missing"; readonly path: string } | { readonly kind: "refused"; readonly message: string } | { readonly kind: "read"; readonly path: string; readonly file: LaunchFile };

/**
 * The launch file `fleet apply` wrote for `session`, read and checked: it
 * must launch that very session, on a fleet socket (never the user's own
 * tmux server, and only a name `tmux -L` takes as one).
 */
export async function readLaunchSource(session: string, dir: string): Promise<LaunchSource> {
  const path = join(dir, `${session}.launch`);
  const found = await readFileState(path, 1024 * 1024);
  if (found.kind === "missing") return { kind: "missing", path };
  if (found.kind !== "file") return { kind: "refused", message: `cannot read the launch file ${path}: ${found.what}` };
  const read = readLaunchFile(found.content);
  if (!read.ok) return { kind: "refused", message: `${path} is ${read.problem}` };
  if (read.file.session !== session) return { kind: "refused", message: `${path} launches "${read.file.session}", not "${session}"` };
  if (socketNameProblem(read.file.socket) !== undefined) return { kind: "refused", message: `socket "${read.file.socket}" is not a fleet socket` };
  return { kind: "read", path, file: read.file };
}
