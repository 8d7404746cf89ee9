/**
 * The only place that builds `systemctl --user` command lines. Every call
 * is `--user` (the user's own manager; the system manager is never
 * addressed), passes unit names as argv elements after `--`, and acts on
 * or asks about many units in one call, so a fleet costs one process per
 * step whatever its size.
 *
 * Facts about systemd 252 this file relies on, measured on this machine
 * (a real user manager in the test sandbox; test/integration/systemctl-adapter.test.ts):
 * - `show -p A,B UNIT...` prints one block per unit, in the order asked,
 *   separated by blank lines; within a block, properties come in systemd's
 *   own order, not the order asked. A unit that does not exist still gets a
 *   block (`LoadState=not-found`).
 * - `show` also takes globs (`'mosaic-agent@*'`), in the same call as
 *   named units: the named units' blocks come first, in the order asked,
 *   then one block per loaded unit the glob matches, in the manager's own
 *   (unsorted) order. Without `--all` a glob skips loaded units that are
 *   inactive (an enabled agent that is stopped); with `--all` it lists
 *   them, and `--all -p` prints the named units' blocks byte for byte as
 *   without it. A glob sees only units the manager has loaded: a stopped,
 *   disabled instance is garbage-collected and not listed; an instance
 *   still active after its template was deleted is (`LoadState=not-found`).
 *   A unit both named and matched is printed twice. A glob matching
 *   nothing prints nothing and still exits 0.
 * - With no user manager to reach it prints "Failed to connect to bus: ..."
 *   ("No medium found" without XDG_RUNTIME_DIR, "No such file or directory"
 *   without a manager) and exits 1.
 * - `start`/`restart` of many units queue one job per unit and wait for
 *   all: one unit failing does not keep the others from starting. Each
 *   failed job adds "Job for U failed because the control process exited
 *   with error code." (or "... because a timeout was exceeded.") and a
 *   "See ... U ..." line; a failed dependency reads "A dependency job for U
 *   failed. See 'journalctl -xe' for details."; exit 1. A unit that does not
 *   exist: "Failed to start U: Unit U not found.", exit 5 (1 if a job failed
 *   too), the other units still start.
 * - `stop` exits 0 with nothing on stderr even when a unit's ExecStop
 *   fails (the unit is left `failed`, Result=exit-code): success of a stop
 *   call is not evidence that ExecStop worked. Stopping a unit that is not
 *   loaded: "Failed to stop U: Unit U not loaded.", exit 5.
 * - `enable` is one transaction: one unit that does not exist fails the
 *   whole call ("Failed to enable unit: Unit file U does not exist.", exit
 *   1) and no unit is enabled. `disable` ignores a unit that does not
 *   exist (exit 0). On success both print "Created symlink ..." /
 *   "Removed ..." on stderr, and reload the manager themselves, so
 *   UnitFileState reads fresh at once.
 * - That is on a systemd host. Where /run/systemd/system is absent (this
 *   machine outside the sandbox's namespace) systemctl edits the symlinks
 *   itself and does not tell the manager: UnitFileState of a loaded unit
 *   stays stale until `daemon-reload` ("Failed to enable unit, unit U does
 *   not exist." is that mode's wording). Tests run systemctl inside the
 *   namespace for this reason.
 * - After `daemon-reload`, an active oneshot (RemainAfterExit) stays
 *   active and its new ExecStop is the one run when it stops; a new
 *   ExecStart waits for the unit's next start.
 */
import { loadExeca } from "./exec.js";
import { UserError } from "../errors.js";

/** What mosaic reads of each unit. Values are systemd's own words (active, exited, enabled, ...). */
export const UNIT_PROPERTIES = ["Id", "LoadState", "ActiveState", "SubState", "UnitFileState", "Result", "NeedDaemonReload"] as const;

/** What the executor may ask systemd to do to units; each is one call for any number of units. */
export const UNIT_VERBS = ["start", "stop", "restart", "enable", "disable"] as const;
export type UnitVerb = (typeof UNIT_VERBS)[number];

export interface SystemctlResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SystemctlOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly binary?: string;
}

const NOTHING_TO_DO: SystemctlResult = { ok: true, exitCode: 0, stdout: "", stderr: "" };

export class SystemctlClient {
  constructor(private readonly opts: SystemctlOptions) {}

  /**
   * UNIT_PROPERTIES of every unit named, and of every loaded unit a glob in
   * `patterns` matches (`mosaic-agent@*`: instances no roster names any
   * more), in one call; null when no user manager answers (no systemd, or
   * none running for this user). Named units come first, in the order
   * asked; a unit both named and matched comes twice, so key the parsed
   * blocks by Id. `--all` only with patterns: it is what makes a glob list
   * loaded units that are inactive, and changes nothing for named units.
   */
  async showUnits(units: readonly string[], patterns: readonly string[] = []): Promise<string | null> {
    if (units.length === 0 && patterns.length === 0) return "";
    const all = patterns.length > 0 ? ["--all"] : [];
    const r = await this.query(["show", ...all, "-p", UNIT_PROPERTIES.join(","), "--", ...units, ...patterns]);
    return r === null ? null : r.stdout;
  }

  /**
   * `systemctl --user VERB -- UNIT...`: one call for all `units`, however
   * many. Not ok when any unit failed; failedUnits() says which. No units:
   * ok, and no process is started.
   */
  async unitCommand(verb: UnitVerb, units: readonly string[]): Promise<SystemctlResult> {
    if (units.length === 0) return NOTHING_TO_DO;
    return this.run([verb, "--", ...units]);
  }

  /**
   * The folders this manager reads unit files from (its UnitPath), or null
   * when no manager answers. A shell's XDG_CONFIG_HOME need not be the
   * manager's, so where units are written is checked against this.
   */
  async unitPath(): Promise<string[] | null> {
    const r = await this.query(["show", "-p", "UnitPath", "--value"]);
    return r === null ? null : r.stdout.split(/\s+/).filter((p) => p !== "");
  }

  /** Make the manager read unit files again, after mosaic wrote or removed one. */
  async daemonReload(): Promise<SystemctlResult> {
    return this.run(["daemon-reload"]);
  }

  /**
   * A question to the manager (it changes nothing, so asking again is
   * safe): null when no manager answers; asked again, for about 1.5 s,
   * while the manager drops the connection (a daemon-reexec, an upgrade
   * restarting it); then a UserError saying so, never a guess.
   */
  private async query(args: readonly string[]): Promise<SystemctlResult | null> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.run(args);
      if (r.ok) return r;
      if (isNoManager(r.stderr)) return null;
      if (!isManagerRestarting(r.stderr) || attempt === QUERY_RETRY_MS.length) {
        const first = r.stderr.trim().split("\n")[0] ?? "";
        throw new UserError(`systemctl --user ${args[0]} failed: ${first || `exit ${r.exitCode}`}`, isManagerRestarting(r.stderr) ? ["The user manager kept dropping the connection (it may be restarting: a daemon-reexec, an upgrade); run the command again."] : []);
      }
      await new Promise((resolve) => setTimeout(resolve, QUERY_RETRY_MS[attempt]));
    }
  }

  private async run(args: readonly string[]): Promise<SystemctlResult> {
    const binary = this.opts.binary ?? "systemctl";
    const execa = await loadExeca();
    // Its own process group, as tmux's calls (adapters/tmux.ts): a signal to mosaic's group never cuts a unit call short.
    const r = await execa(binary, ["--user", "--no-pager", ...args], { reject: false, env: { ...this.opts.env }, extendEnv: false, stdin: "ignore", detached: true });
    if (r.failed && r.exitCode === undefined && (r.cause as { code?: string } | undefined)?.code === "ENOENT") {
      throw new SystemctlMissing(binary);
    }
    return { ok: r.exitCode === 0, exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }
}

/** No systemctl to run: for `auto` that means no systemd here, so the direct backend. */
export class SystemctlMissing extends UserError {
  constructor(binary: string) {
    super(`${binary} not found on PATH`, ["The systemd backend needs systemd's systemctl; without it, use the direct backend."]);
  }
}

/** Waits between asking a restarting manager again. */
const QUERY_RETRY_MS = [100, 200, 400, 800] as const;

/**
 * systemctl's ways of saying the manager went away in the middle of a call
 * (measured with `daemon-reexec` run back to back against a call): it is
 * there, restarting, and will answer again. Not "Failed to connect to
 * bus", which is isNoManager's.
 */
export function isManagerRestarting(stderr: string): boolean {
  return /Transport endpoint is not connected|Connection reset by peer|disconnected from message bus without replying|Broken pipe|Connection timed out/.test(stderr);
}

/** systemctl's ways of saying no user manager answers. */
export function isNoManager(stderr: string): boolean {
  return /Failed to connect to bus|Failed to get D-Bus connection|XDG_RUNTIME_DIR/.test(stderr);
}

/** A unit name as systemd spells one (letters, digits, `:-_.\\`, `@` for an instance). */
const UNIT_NAME_RUN = /[A-Za-z0-9:_.\\@-]+/g;

/**
 * The units of a failed many-unit call that its stderr names (each failed
 * job and each unknown unit gets its own line naming it; see the header),
 * in the order of `units`; all of them when it names none (no manager, a
 * message that names no unit), since then none can be assumed to have
 * worked. Matches whole names only: `a.service` is not found inside
 * `t@a.service`. For `enable`, which is one transaction, the named unit is
 * the cause, but none of the others was enabled either: observe again.
 */
export function failedUnits(stderr: string, units: readonly string[]): string[] {
  // A name ending a sentence carries its full stop: "... Unit U not found."
  const named = new Set((stderr.match(UNIT_NAME_RUN) ?? []).map((run) => run.replace(/\.+$/, "")));
  const failed = units.filter((u) => named.has(u));
  return failed.length > 0 ? failed : [...units];
}
