import { execa, type ResultPromise } from "execa";
import { eventually } from "./eventually.js";

/**
 * Another local user (nobody, through setpriv) reading every process's
 * command line in /proc as fast as it can, as an attacker would, for as
 * long as the test runs: what it saw holding `secret` is what leaked. The
 * secret reaches it through its environment, which only root and nobody
 * can read, never through its own argv.
 */
const WATCH = `
const { readdirSync, readFileSync } = require("node:fs");
const secret = process.env.WATCH_FOR;
const seen = new Set();
let passes = 0;
let stopping = false;
process.on("SIGTERM", () => { stopping = true; });
(async () => {
  while (!stopping) {
    for (const pid of readdirSync("/proc")) {
      if (!/^\\d+$/.test(pid) || Number(pid) === process.pid) continue;
      let cmdline;
      try { cmdline = readFileSync("/proc/" + pid + "/cmdline", "latin1"); } catch { continue; }
      if (!cmdline.includes(secret)) continue;
      const line = cmdline.split("\\0").join(" ").slice(0, 300);
      if (!seen.has(line)) process.stderr.write("seen " + JSON.stringify(line) + "\\n");
      seen.add(line);
    }
    if (passes++ === 0) process.stderr.write("ready\\n");
    await new Promise((r) => setImmediate(r));
  }
  process.stdout.write(JSON.stringify({ passes, seen: [...seen] }));
})();
`;

export class CmdlineWatcher {
  private child: ResultPromise | undefined;
  private said = "";

  /** Why another user cannot be played here (not root, no setpriv), or null. */
  static async unavailable(): Promise<string | null> {
    if (process.getuid?.() !== 0) return "playing another local user needs root";
    const probe = await execa("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "true"], { reject: false });
    return probe.exitCode === 0 ? null : `setpriv to nobody failed: ${probe.stderr.trim()}`;
  }

  constructor(private readonly secret: string) {}

  /** Start watching; resolves once it has read /proc at least once. */
  async start(): Promise<void> {
    this.child = execa("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", WATCH], {
      env: { WATCH_FOR: this.secret, PATH: process.env.PATH ?? "/usr/bin:/bin" },
      extendEnv: false,
      reject: false,
      cwd: "/",
    });
    this.child.stderr?.on("data", (chunk: Buffer) => (this.said += chunk.toString()));
    await eventually(() => this.said.includes("ready") || this.child?.exitCode != null, { what: "the watcher's first pass over /proc" });
    if (!this.said.includes("ready")) throw new Error(`the watcher ended: ${this.said}`);
  }

  /** How many command lines holding the secret it has seen so far, while it watches. */
  seenSoFar(): number {
    return this.said.split("\n").filter((l) => l.startsWith("seen ")).length;
  }

  /** Stop watching: every command line it saw holding the secret, and how many times it read /proc. */
  async stop(): Promise<{ passes: number; seen: string[] }> {
    if (!this.child) throw new Error("not started");
    this.child.kill("SIGTERM");
    const r = await this.child;
    return JSON.parse(String(r.stdout)) as { passes: number; seen: string[] };
  }
}
