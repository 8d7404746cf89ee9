import type { HostFacts } from "./host-types.js";
import type { ObservedUnit } from "./parse-units.js";
import type { LaunchVariant } from "../identity/launch.js";

/** An agent's own pane: the process the fleet started, by tmux's pane id. */
export interface ObservedPane {
  /** `%N`: unique on its server for the server's lifetime, so a target by id is exact. */
  readonly id: string;
  readonly pid: number;
  readonly dead: boolean;
  /** Exit status of a dead pane; null while it runs or when a signal ended it. */
  readonly deadStatus: number | null;
  /** The signal that ended a dead pane, or null. */
  readonly deadSignal: number | null;
  /** For display only: the agent controls it. Control characters arrive as `?`. */
  readonly currentCommand: string;
}

/** One tmux session on the fleet's socket, as tmux reports it. */
export interface ObservedSession {
  readonly name: string;
  /** `@mosaic-managed` is set: the fleet made this session and may change it. */
  readonly managed: boolean;
  /** `@mosaic-spec`, or null for a managed session made before spec hashes. */
  readonly specHash: string | null;
  /** `@mosaic-spec-fields`: a short digest per spec field, to say which field changed. */
  readonly specFields: Readonly<Record<string, string>> | null;
  readonly launch: LaunchVariant | null;
  /** Unix seconds. */
  readonly createdAt: number;
  /**
   * The agent's own pane: the one whose id the session recorded at launch
   * (`@mosaic-pane`), or, for a session that recorded none, its only pane.
   * null when that pane is gone or cannot be told apart from others.
   */
  readonly pane: ObservedPane | null;
  /** Whether the session records its agent's pane id. */
  readonly paneRecorded: boolean;
  readonly paneCount: number;
  /** `@mosaic-roster`: the roster that made it; null for a session made before rosters were recorded. */
  readonly rosterId: string | null;
  /**
   * Set when the pane this session claims is in a window linked into other
   * sessions too (`link-window`): then `pane` is null, for no session's
   * agent can be told from it.
   */
  readonly sharedPane?: { readonly id: string; readonly sessions: readonly string[] };
}

/** The fleet's tmux server: one `list-panes -a`. */
export interface ObservedTmux {
  readonly socket: string;
  readonly serverRunning: boolean;
  /** The running server's `#{version}` (e.g. "3.3a"), or null. */
  readonly serverVersion: string | null;
  /** Sorted by name. */
  readonly sessions: readonly ObservedSession[];
  /** Output rows that could not be read: an error in every plan, never acted on. */
  readonly unreadable: readonly string[];
  /**
   * Label options set for every session at once (on the server, or for all
   * sessions or windows: `set-option -s`, `-g`, `-gw`). tmux hands such a
   * value to every session that has none of its own, and a server or
   * global window one even to those that have: no label can be told from
   * it, so it is an error in every plan, never acted on.
   */
  readonly globalLabels: readonly string[];
}

/** A file the fleet installs or writes, as found on disk. */
export type ObservedFile =
  | { readonly kind: "file"; readonly content: string; readonly mode: number }
  | { readonly kind: "missing" }
  /** A folder, a dangling link, an unreadable or oversized file: never overwritten. */
  | {
      readonly kind: "other";
      readonly what: string;
      /** Set when it is not the file but this folder on its path that is `what`, so the file cannot be written. */
      readonly folder?: string;
    };

/** The user's systemd manager, as one `systemctl --user show` call saw the fleet's units. */
export interface ObservedSystemd {
  /** By unit name; a unit systemd knows nothing of is `not-found`, or absent. */
  readonly units: Readonly<Record<string, ObservedUnit>>;
}

/** Everything the planner knows about the world: one snapshot, taken once. */
export interface ObservedFleet extends ObservedTmux {
  readonly host: HostFacts;
  /** null: no user manager answered, or it was not asked (the direct backend, or no unit files installed). */
  readonly systemd: ObservedSystemd | null;
  /** The product files and launch files the plan may write, by absolute path. */
  readonly files: Readonly<Record<string, ObservedFile>>;
  /** The bytes mosaic last wrote to each product file (sha256 by path): what tells an edit by hand from an old version. */
  readonly installRecord: Readonly<Record<string, string>>;
}

/** What `fleet install-systemd` and `mosaic update` plan from. */
export interface ObservedInstall extends ObservedFleet {
  /**
   * Why there is no record to read (`... is missing`, or why it is
   * unusable), or null when it was read. Without one every file that
   * differs looks edited by hand, so the refusal must say it is the record
   * that is missing, and how to go on, not blame an edit nobody made.
   */
  readonly installRecordProblem: string | null;
  /** The folders the user manager reads unit files from, or null when none answered. */
  readonly unitPath: readonly string[] | null;
}
