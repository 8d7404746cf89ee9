import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the preflight's scratch fleet lives: every path is inside `dir`, so removing `dir` removes it all. */
export interface Scratch {
  readonly dir: string;
  readonly home: string;
  readonly prefix: string;
  readonly tmuxTmpdir: string;
  /** TMPDIR of the scratch mosaic and its fleet (agent send's work folders, ...). */
  readonly tmpdir: string;
  readonly socket: string;
  readonly roster: string;
  readonly mosaicBin: string;
  /** The whole environment the installed mosaic runs with. */
  readonly env: Env;
}

/**
 * The scratch layout inside `dir`, for the preflight whose pid is `pid`.
 * The environment is built, not inherited: no XDG_RUNTIME_DIR and no
 * DBUS_SESSION_BUS_ADDRESS, so the scratch mosaic cannot reach the user's
 * systemd manager (systemctl --user says "No medium found") and no stage
 * can leave a unit loaded there; the unit files it installs are under the
 * scratch home. TMPDIR is the scratch one, so a temporary folder a killed
 * tool could not remove goes with the rest.
 */
export function scratchLayout(dir: string, pid: number, caller: Env): Scratch {
  const home = join(dir, "home");
  const prefix = join(dir, "prefix");
  const tmuxTmpdir = join(dir, "tmux");
  const tmpdir = join(dir, "tmp");
  return {
    dir,
    home,
    prefix,
    tmuxTmpdir,
    tmpdir,
    socket: `mosaic-preflight-${pid}`,
    roster: join(home, "preflight-roster.yaml"),
    mosaicBin: join(prefix, "bin", "mosaic"),
    env: { PATH: `${join(prefix, "bin")}:${caller.PATH ?? "/usr/bin:/bin"}`, HOME: home, TMUX_TMPDIR: tmuxTmpdir, TMPDIR: tmpdir, LANG: caller.LANG ?? "C.UTF-8", NO_COLOR: "1" },
  };
}
