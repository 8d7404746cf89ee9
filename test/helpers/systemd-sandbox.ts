import { execa, type ResultPromise } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { cliPath } from "./cli.js";
import { eventually, settlesWithin } from "./eventually.js";

const JOURNALD = "/lib/systemd/systemd-journald";

/**
 * A real `systemd --user` manager for one test file, private to it (the
 * recipe in DESIGN.md): a mount namespace with a tmpfs on /run/systemd
 * holding /run/systemd/system (so the manager and systemctl see a systemd
 * host), and its own HOME, XDG_RUNTIME_DIR (0700) and TMUX_TMPDIR. Commands
 * run inside the namespace through nsenter, so `systemctl --user` reaches
 * this manager and nothing of the host's.
 */
export class SystemdSandbox {
  readonly root = mkdtempSync(join(tmpdir(), "mosaic-systemd-"));
  readonly env: Record<string, string>;
  private manager: ResultPromise | undefined;
  private pid = 0;

  /**
   * `journal`: run a systemd-journald of its own in the namespace, before
   * the manager, so units' output and the manager's messages about them
   * land in a journal `journalctl` reads (on tmpfs: /run and
   * /var/log/journal are covered inside the namespace, the host's are
   * never written).
   */
  constructor(private readonly options: { journal?: boolean } = {}) {
    const dirs = { HOME: "home", XDG_RUNTIME_DIR: "run", TMUX_TMPDIR: "tmux" } as const;
    this.env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" };
    for (const [key, name] of Object.entries(dirs)) {
      const path = join(this.root, name);
      mkdirSync(path, { mode: 0o700 });
      this.env[key] = path;
    }
    this.env.XDG_CONFIG_HOME = join(this.env.HOME!, ".config");
    this.env.XDG_STATE_HOME = join(this.env.HOME!, ".local", "state");
  }

  /** Why a user manager cannot run here (no unshare, no namespaces, no systemd), or null when it can. */
  static async unavailable(): Promise<string | null> {
    if (!existsSync("/lib/systemd/systemd")) return "/lib/systemd/systemd is not installed";
    const probe = await execa("unshare", ["-m", "--propagation", "private", "true"], { reject: false });
    return probe.exitCode === 0 ? null : `unshare -m is refused here: ${probe.stderr.trim() || `exit ${probe.exitCode}`}`;
  }

  /**
   * A cgroup of its own for the manager, in every hierarchy systemd uses
   * here. A user manager names its units' cgroups after the units, under
   * its own cgroup, and a mount namespace does not separate cgroups: two
   * sandboxes started from the same cgroup would share
   * `.../app.slice/mosaic-tmux-holder.service`, and one stopping its holder
   * would kill the other's agents. Best effort: where cgroups cannot be
   * made, tests still run, one sandbox at a time being safe.
   */
  private readonly cgroups = ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", ...(existsSync("/sys/fs/cgroup/cgroup.controllers") ? ["/sys/fs/cgroup"] : [])]
    .filter((root) => existsSync(join(root, "cgroup.procs")))
    .map((root) => join(root, `mosaic-test-${basename(this.root)}`));

  /** Why a journal cannot run in the sandbox, or null when it can. */
  static journalUnavailable(): string | null {
    return existsSync(JOURNALD) ? null : `${JOURNALD} is not installed`;
  }

  async start(): Promise<void> {
    const ownCgroups = this.cgroups.map((g) => `{ mkdir '${g}' && echo $$ > '${g}/cgroup.procs'; } 2>/dev/null;`).join(" ");
    const pidFile = join(this.root, "journald.pid");
    // A journal writes under /run/log and /var/log/journal: inside the namespace, /run is a tmpfs of its own and so is /var/log/journal, so the host's are never written.
    const runOfItsOwn = this.options.journal ? "mount -t tmpfs -o mode=0755 tmpfs /run && mkdir -p /run/systemd /run/log && { [ ! -d /var/log/journal ] || mount -t tmpfs tmpfs /var/log/journal; } &&" : "";
    const journal = this.options.journal
      ? `mkdir -p /run/systemd/journal && { ${JOURNALD} & echo $! > '${pidFile}'; } && i=0 && while [ ! -S /run/systemd/journal/stdout ] && [ $i -lt 200 ]; do sleep 0.025; i=$((i+1)); done &&`
      : "";
    // With a journal, the manager logs there as a login's manager does (its messages about a unit carry USER_UNIT=).
    const manager = `exec /lib/systemd/systemd --user${this.options.journal ? " --log-target=journal" : ""}`;
    const script = `${ownCgroups} ${runOfItsOwn} mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && ${journal} ${manager}`;
    this.manager = execa("unshare", ["-m", "--propagation", "private", "sh", "-c", script], { env: this.env, extendEnv: false, reject: false, stdio: "ignore" });
    this.pid = this.manager.pid!;
    const socket = join(this.env.XDG_RUNTIME_DIR!, "systemd", "private");
    let ended = false;
    void this.manager.then(() => (ended = true));
    // Its private socket, or its end: a manager that fails to start is not waited for.
    await eventually(() => existsSync(socket) || ended, { what: `systemd --user's socket ${socket}` });
    if (!existsSync(socket)) throw new Error(`systemd --user did not start in ${this.root}`);
  }

  /** Run `argv` inside the sandbox's namespace with its environment (plus `env`). */
  async run(argv: readonly string[], env: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const r = await execa("nsenter", ["-t", String(this.pid), "-m", "--", ...argv], { env: { ...this.env, ...env }, extendEnv: false, reject: false });
    return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  }

  /** This checkout's `mosaic` first on the sandbox's PATH, as an installed one is on a user's. */
  putMosaicOnPath(): void {
    const tools = join(this.root, "bin");
    mkdirSync(tools, { recursive: true });
    writeFileSync(join(tools, "mosaic"), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`, { mode: 0o755 });
    this.env.PATH = `${tools}:${this.env.PATH}`;
  }

  systemctl(args: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.run(["systemctl", "--user", ...args]);
  }

  /**
   * An executable that runs `command` inside the namespace with the
   * arguments it is given, appending each call's arguments as one line to
   * `log`: for code that takes a binary path (SystemctlClient). It matters
   * for systemctl: inside, it sees a systemd host (/run/systemd/system) and
   * has the manager enable and disable units, as on a desktop; outside, it
   * edits the symlinks itself and never tells the manager.
   */
  commandInside(command: string, log: string): string {
    const path = join(this.root, `${command}-inside`);
    // The values are ours (a pid, mkdtemp paths, a command name), checked, never a user's.
    for (const value of [command, log]) if (!/^[\w./-]+$/.test(value)) throw new Error(`unexpected character in ${value}`);
    writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec nsenter -t ${this.pid} -m -- '${command}' "$@"\n`, { mode: 0o755 });
    return path;
  }

  /** Stop every unit and the manager (which kills what its units started), then remove the folder. */
  async dispose(): Promise<void> {
    if (this.manager) {
      await this.systemctl(["exit"]);
      if (!(await settlesWithin(this.manager, 5000))) this.manager.kill("SIGKILL");
      await this.manager;
    }
    // journald is no child of the manager: it outlives it unless ended here.
    const journald = join(this.root, "journald.pid");
    if (existsSync(journald)) {
      try {
        process.kill(Number(readFileSync(journald, "utf8")), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    for (const g of this.cgroups) removeCgroup(g);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A cgroup is removed folder by folder, deepest first (rmdir; its files are not real files). */
function removeCgroup(path: string): void {
  if (!existsSync(path)) return;
  for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) removeCgroup(join(path, entry.name));
  try {
    rmdirSync(path);
  } catch {
    // A process still in it (a stray the manager's exit did not end) keeps it; the test run ends anyway.
  }
}
