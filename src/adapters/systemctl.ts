/**
 * The only place that builds `systemctl --user` command lines. Every call
 * is `--user` (the user's own manager; the system manager is never
 * addressed), passes unit names as argv elements, and asks about many
 * units in one call, so observing a fleet costs one process whatever its
 * size.
 *
 * Facts about systemd 252 this file relies on, measured on this machine:
 * - `show -p A,B UNIT...` prints one block per unit, in the order asked,
 *   separated by blank lines; within a block, properties come in systemd's
 *   own order, not the order asked. A unit that does not exist still gets a
 *   block (`LoadState=not-found`).
 * - With no user manager to reach it prints "Failed to connect to bus: ..."
 *   ("No medium found" without XDG_RUNTIME_DIR, "No such file or directory"
 *   without a manager) and exits 1.
 */
import { execa } from "execa";
import { UserError } from "../errors.js";

/** What mosaic reads of each unit. Values are systemd's own words (active, exited, enabled, ...). */
export const UNIT_PROPERTIES = ["Id", "LoadState", "ActiveState", "SubState", "UnitFileState", "Result", "NeedDaemonReload"] as const;

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

export class SystemctlClient {
  constructor(private readonly opts: SystemctlOptions) {}

  /**
   * UNIT_PROPERTIES of every unit named, in one call; null when no user
   * manager answers (no systemd, or none running for this user).
   */
  async showUnits(units: readonly string[]): Promise<string | null> {
    if (units.length === 0) return "";
    const r = await this.run(["show", "-p", UNIT_PROPERTIES.join(","), "--", ...units]);
    if (r.ok) return r.stdout;
    if (isNoManager(r.stderr)) return null;
    throw new Error(`systemctl --user show failed: ${r.stderr.trim()}`);
  }

  private async run(args: readonly string[]): Promise<SystemctlResult> {
    const binary = this.opts.binary ?? "systemctl";
    const r = await execa(binary, ["--user", "--no-pager", ...args], { reject: false, env: { ...this.opts.env }, extendEnv: false, stdin: "ignore" });
    if (r.failed && r.exitCode === undefined && (r.cause as { code?: string } | undefined)?.code === "ENOENT") {
      throw new UserError(`${binary} not found on PATH`, ["The systemd backend needs systemd's systemctl; without it, use the direct backend."]);
    }
    return { ok: r.exitCode === 0, exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  }
}

/** systemctl's ways of saying no user manager answers. */
export function isNoManager(stderr: string): boolean {
  return /Failed to connect to bus|Failed to get D-Bus connection|XDG_RUNTIME_DIR/.test(stderr);
}
