import type { FileKind } from "../adapters/fs.js";

/**
 * Facts about the host that decide whether a launch can work, gathered
 * read-only before planning so the plan can show, before any prompt, what
 * apply would fail on. The planner makes every decision from them.
 */
export interface HostFacts {
  /** The tmux that would serve the fleet; null when it printed no version. */
  readonly tmuxVersion: { readonly raw: string; readonly major: number; readonly minor: number } | null;
  readonly socketPath: string;
  readonly socketPathBytes: number;
  /** The folder holding the socket, as tmux will check it; null when it does not exist yet (tmux makes it). */
  readonly socketDir: { readonly path: string; readonly ownerUid: number; readonly mode: number } | null;
  readonly uid: number;
  /** The PATH an agent's `env` searches unless its roster env sets one: this command's, which tmux hands the new pane. */
  readonly agentPath: string;
  /** Per session name (agents and the holder). */
  readonly launches: Readonly<Record<string, LaunchFacts>>;
  /** This command runs in a pane of the fleet's own server (`$TMUX` names its socket). */
  readonly callerPaneId: string | null;
  /** Roster files other rosters' sessions on the socket came from, by roster identity (for messages). */
  readonly rosterPaths: Readonly<Record<string, string>>;
  /** No server answers on the socket, yet a process listens on its path: a tmux server whose socket file was removed. */
  readonly socketFileLost: boolean;
  /**
   * The node the installed shell tools run mosaic's session tool with (lib/node-path), and whether
   * it is still an executable file; null when none is recorded (not installed, or an older install).
   */
  readonly toolsNode: { readonly path: string; readonly runs: boolean } | null;
  /** The node and mosaic the installed drift check runs, and whether both are still there; null when none is installed. */
  readonly driftCheck?: { readonly node: string; readonly mosaic: string; readonly runs: boolean } | null;
  /** Other sockets this roster was applied to where sessions made by mosaic still run. */
  readonly previousSockets: readonly { readonly socket: string; readonly managedSessions: readonly string[] }[];
}

export interface LaunchFacts {
  /** "unreachable": a symbolic link loop, a file on the way, or a folder that cannot be searched. */
  readonly cwd: FileKind | "unreachable";
  /** Where the command resolves to an executable file, or null when it does not. */
  readonly commandPath: string | null;
  /** Bytes of its exec (launchExecBytes): its longest argument or environment entry, and all of them, each with its NUL. */
  readonly execBytes: { readonly longest: number; readonly total: number };
}

/** A host where every launch can work: the default for planner fixtures that are not about the host. */
export const HEALTHY_HOST: HostFacts = {
  tmuxVersion: { raw: "tmux 3.3a", major: 3, minor: 3 },
  socketPath: "/tmp/tmux-1000/fleet",
  socketPathBytes: 20,
  socketDir: { path: "/tmp/tmux-1000", ownerUid: 1000, mode: 0o700 },
  uid: 1000,
  agentPath: "/usr/bin:/bin",
  launches: {},
  callerPaneId: null,
  socketFileLost: false,
  toolsNode: null,
  previousSockets: [],
  rosterPaths: {},
};
