// A private `systemd --user` manager for the systemd backend's rows (the
// recipe in DESIGN.md): a mount namespace with a tmpfs on /run/systemd, the
// bench world's own HOME, XDG_RUNTIME_DIR and TMUX_TMPDIR. Commands run
// inside it through nsenter, so they reach this manager and nothing of the
// host's. null where namespaces or systemd are missing: the rows say so.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export function startUserManager(world) {
  if (!existsSync("/lib/systemd/systemd")) return { unavailable: "/lib/systemd/systemd is not installed" };
  if (spawnSync("unshare", ["-m", "--propagation", "private", "true"]).status !== 0) return { unavailable: "unshare -m is refused here" };
  const runtime = join(world.work, "run");
  mkdirSync(runtime, { mode: 0o700 });
  const env = { ...world.env, XDG_RUNTIME_DIR: runtime };
  const script = "mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && exec /lib/systemd/systemd --user";
  const manager = spawn("unshare", ["-m", "--propagation", "private", "sh", "-c", script], { env, stdio: "ignore" });
  const socket = join(runtime, "systemd", "private");
  for (let i = 0; i < 400 && !existsSync(socket); i++) spawnSync("sleep", ["0.025"]);
  if (!existsSync(socket)) {
    manager.kill("SIGKILL");
    return { unavailable: "systemd --user did not start" };
  }
  return {
    env,
    /** `argv` inside the namespace. */
    inside: (argv) => ["nsenter", "-t", String(manager.pid), "-m", "--", ...argv],
    stop() {
      spawnSync("nsenter", ["-t", String(manager.pid), "-m", "--", "systemctl", "--user", "exit"], { env, timeout: 10_000 });
      spawnSync("sleep", ["1"]);
      manager.kill("SIGKILL");
    },
  };
}
