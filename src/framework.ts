import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the folder holding `package.json`, `dist/` and
 * `framework/`. Compiled files live in `dist/`, one level below it, and the
 * layout is the same in a git checkout and in an installed npm package.
 */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The `mosaic` command: the bundle scripts/bundle.mjs builds from the compiled CLI. */
export const cliEntry: string = join(packageRoot, "dist", "mosaic.js");

/** Product-owned assets shipped in the npm package. */
export const frameworkDir: string = join(packageRoot, "framework");

export const frameworkPaths = {
  rosterSchema: join(frameworkDir, "fleet", "roster.schema.json"),
  example: (profile: string) => join(frameworkDir, "fleet", "examples", `${profile}.yaml`),
  tmuxConfig: join(frameworkDir, "tools", "tmux", "mosaic.tmux.conf"),
  demoAgent: join(frameworkDir, "demo", "echo-agent.mjs"),
} as const;

/**
 * The session tool the shims exec: built (scripts/bundle.mjs), not
 * written, so a plan shows its size and hash rather than a diff.
 */
export const SESSION_TOOL = "lib/mosaic-session.mjs";

/**
 * The node the installed shims run the session tool with: recorded at
 * install (`fleet install-systemd`, `mosaic update`) as the node running
 * mosaic, since the units' PATH rarely holds an nvm or a /opt node.
 */
export const NODE_PATH_FILE = "lib/node-path";

/**
 * What `fleet install-systemd` installs and `mosaic update` refreshes: each
 * file as shipped under framework/ (`source`; null for the node path,
 * which is this host's), where it goes, and its mode (fixed here, not
 * taken from the package, so every install is the same).
 */
export const PRODUCT_FILES = [
  { type: "file.unit", name: "mosaic-tmux-holder.service", source: "systemd/user/mosaic-tmux-holder.service", mode: 0o644 },
  { type: "file.unit", name: "mosaic-agent@.service", source: "systemd/user/mosaic-agent@.service", mode: 0o644 },
  { type: "file.tool", name: "fleet/start-agent-session.sh", source: "tools/fleet/start-agent-session.sh", mode: 0o755 },
  { type: "file.tool", name: "fleet/stop-agent-session.sh", source: "tools/fleet/stop-agent-session.sh", mode: 0o755 },
  { type: "file.tool", name: SESSION_TOOL, source: "tools/lib/mosaic-session.mjs", mode: 0o644 },
  { type: "file.tool", name: "lib/exec-tool.sh", source: "tools/lib/exec-tool.sh", mode: 0o644 },
  { type: "file.tool", name: NODE_PATH_FILE, source: null, mode: 0o644 },
  { type: "file.tool", name: "tmux/mosaic.tmux.conf", source: "tools/tmux/mosaic.tmux.conf", mode: 0o644 },
  { type: "file.tool", name: "tmux/agent-send.sh", source: "tools/tmux/agent-send.sh", mode: 0o755 },
  { type: "file.tool", name: "tmux/send-message.sh", source: "tools/tmux/send-message.sh", mode: 0o755 },
] as const;
