import { execa } from "execa";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fleetApplyLockFile } from "../../src/adapters/lock.js";
import { tmuxSocketPath } from "../../src/adapters/tmux.js";
import { CmdlineWatcher } from "../helpers/cmdline-watcher.js";
import { eventually } from "../helpers/eventually.js";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * Another local user (nobody) takes every lock it can find: every abstract
 * socket name mosaic's locks ever used (the same from run to run, and
 * listed in the world-readable /proc/net/unix), and the lock file itself,
 * which it can name but must not be able to open. Then fleet stop must
 * not wait a moment.
 */
const SQUAT = `
const net = require("node:net");
const { openSync } = require("node:fs");
const names = JSON.parse(process.env.NAMES);
const took = [];
let pending = names.length;
const done = () => --pending === 0 && report();
for (const name of names) {
  const server = net.createServer((c) => c.end(JSON.stringify({ pid: 1, command: "\\u001b[2J\\u001b[Hsquatter", since: "now" })));
  server.on("error", done);
  server.listen({ path: name }, () => (took.push(JSON.stringify(name)), done()));
}
function report() {
  try { openSync(process.env.LOCK_FILE, "r"); took.push(process.env.LOCK_FILE); } catch (err) { took.push("refused " + err.code); }
  process.stderr.write("holding " + took.join(" ") + "\\n");
}
process.stdin.resume(); // held until killed
`;

const noOtherUser = await CmdlineWatcher.unavailable();
if (noOtherUser) console.warn(`SKIPPED: ${noOtherUser}`);

describe.skipIf(noOtherUser !== null)("a lock squatter, another local user", () => {
  const world = useFleetWorld();

  it("cannot take the apply lock or delay fleet stop", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }, { name: "beta" }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const socketPath = tmuxSocketPath(w.socket, w.env, process.getuid?.() ?? 0);
    const hash = (parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
    // The names earlier releases locked under, and every mosaic name /proc/net/unix shows now.
    const seen = readFileSync("/proc/net/unix", "utf8").split("\n").flatMap((l) => (/ @(mosaic\S*)$/.exec(l) ? [`\0${/ @(mosaic\S*)$/.exec(l)![1]}`] : []));
    const names = [`\0mosaic-apply-${hash([socketPath])}`, ...["alpha", "beta"].map((s) => `\0mosaic-send-${hash([socketPath, s])}`), ...seen];
    const squatter = execa("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", SQUAT], {
      env: { NAMES: JSON.stringify(names), LOCK_FILE: fleetApplyLockFile(socketPath), PATH: process.env.PATH ?? "" },
      extendEnv: false,
      reject: false,
      cwd: "/",
    });
    let said = "";
    squatter.stderr?.on("data", (d: Buffer) => (said += d.toString()));
    try {
      await eventually(() => said.includes("holding"), { what: "the squatter to take what it can" });
      expect(said).toContain("refused EACCES"); // it could not even open the lock file

      const stop = await w.mosaic(["fleet", "stop", "--lock-timeout", "0"]);
      expect(stop.exitCode, stop.stderr).toBe(0);
      expect(stop.stderr).not.toContain("Waiting for another mosaic apply");
      expect(stop.stdout + stop.stderr).not.toContain("\x1b[2J");
      expect(await w.sessionNames()).toEqual([]);
    } finally {
      squatter.kill("SIGKILL");
      await squatter;
    }
  });
});
