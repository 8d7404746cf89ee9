/** The first pane of a session: the agent's own process. */
export interface ObservedPane {
  readonly pid: number;
  readonly dead: boolean;
  /** Exit status of a dead pane; null while it runs. */
  readonly deadStatus: number | null;
  readonly currentCommand: string;
}

export type LaunchVariant = "resume" | "new";

/** One tmux session on the fleet's socket, as tmux reports it. */
export interface ObservedSession {
  readonly name: string;
  /** `@mosaic-managed` is set: the fleet made this session and may change it. */
  readonly managed: boolean;
  /** `@mosaic-spec`, or null for a managed session made before spec hashes. */
  readonly specHash: string | null;
  readonly launch: LaunchVariant | null;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly pane: ObservedPane;
  readonly paneCount: number;
}

/** Everything the planner knows about the world: one snapshot, taken once. */
export interface ObservedFleet {
  readonly socket: string;
  readonly serverRunning: boolean;
  /** Sorted by name. */
  readonly sessions: readonly ObservedSession[];
  /** Output rows that could not be read; reported, never acted on. */
  readonly unreadable: readonly string[];
}
