import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchFileContent } from "../../src/identity/launch-file.js";
import { frameworkPaths } from "../../src/framework.js";
import { HEALTHY_HOST } from "../../src/observe/host-types.js";
import { plan } from "../../src/plan/plan.js";
import { ROSTER_INTENT } from "../../src/plan/types.js";
import { loadRoster } from "../../src/roster/load.js";
import { sessionLaunch } from "../../src/identity/launch.js";
import { legacyLaunchFileContent } from "./legacy-launch-file.js";

/**
 * The launch files apply will write for a roster, from the same plan the
 * direct backend carries out (the holder's included), into `dir`, naming
 * `tmuxConfig` (the package's by default; an install names its own copy).
 */
export async function writeLaunchFiles(world: { rosterPath: string; home: { path: string } }, dir: string, tmuxConfig: string = frameworkPaths.tmuxConfig): Promise<void> {
  const desired = await loadRoster({ path: world.rosterPath, home: world.home.path, cwd: world.home.path });
  const empty = { socket: desired.socket, serverRunning: false, serverVersion: null, sessions: [], unreadable: [], globalLabels: [], host: HEALTHY_HOST, systemd: null, files: {}, installRecord: {} };
  for (const c of plan(desired, empty, ROSTER_INTENT).changes) {
    if (c.type !== "tmux.session" || c.action !== "create") continue;
    writeFileSync(join(dir, `${c.name}.launch`), launchFileContent(sessionLaunch(c.after), desired.socket, tmuxConfig), { mode: 0o600 });
  }
}

/** The launch files mosaic 0.1.0 wrote for a roster (format 1), as an upgrade finds them. */
export async function writeLegacyLaunchFiles(world: { rosterPath: string; home: { path: string } }, dir: string, tmuxConfig: string): Promise<void> {
  const desired = await loadRoster({ path: world.rosterPath, home: world.home.path, cwd: world.home.path });
  const empty = { socket: desired.socket, serverRunning: false, serverVersion: null, sessions: [], unreadable: [], globalLabels: [], host: HEALTHY_HOST, systemd: null, files: {}, installRecord: {} };
  for (const c of plan(desired, empty, ROSTER_INTENT).changes) {
    if (c.type !== "tmux.session" || c.action !== "create") continue;
    writeFileSync(join(dir, `${c.name}.launch`), legacyLaunchFileContent(sessionLaunch(c.after), desired.socket, tmuxConfig), { mode: 0o600 });
  }
}
