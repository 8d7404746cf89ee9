import { launchArgv, tmuxArg } from "../../src/adapters/tmux.js";
import { LEGACY_LAUNCH_FILE_FORMAT, type SessionLaunch } from "../../src/identity/launch-file.js";
import { formatSessionLabel, LEGACY_OPTION_OF } from "../../src/identity/session-label.js";

/**
 * A launch file as mosaic 0.1.0 wrote it (format 1), for the tests that an
 * upgrade still starts and stops agents from one: NUL-terminated fields,
 * the format tag, socket, tmux config, session name, spec hash, then the
 * very new-session invocation that release ran. `separateLabels`: as an
 * even older mosaic wrote it, each fact in a set-option of its own.
 */
export function legacyLaunchFileContent(launch: SessionLaunch, socket: string, configPath: string, opts: { separateLabels?: boolean } = {}): string {
  const target = `=${launch.name}:`;
  const args: string[] = ["new-session", "-d", "-P", "-F", "#{pane_id}", "-s", launch.name, "-x", "200", "-y", "50", "-c", launch.cwd];
  for (const [k, v] of Object.entries(launch.env)) args.push("-e", `${k}=${v}`);
  args.push("--", ...launchArgv(launch.argv, launch.env), ";", "set-option", "-w", "-t", target, "remain-on-exit", "on");
  const label = formatSessionLabel(launch.labels, "#{pane_id}");
  if (!opts.separateLabels) {
    args.push(";", "set-option", "-F", "-t", target, "@mosaic", label);
  } else {
    for (const token of label.split(" ").slice(1)) {
      const key = token.slice(0, token.indexOf("=")) as keyof typeof LEGACY_OPTION_OF;
      const option = LEGACY_OPTION_OF[key];
      args.push(";", "set-option", ...(key === "pane" ? ["-F"] : []), "-t", target, option, token.slice(token.indexOf("=") + 1));
    }
  }
  const escaped = args.map((a) => (a === ";" ? a : tmuxArg(a)));
  return [LEGACY_LAUNCH_FILE_FORMAT, socket, configPath, launch.name, launch.labels.spec ?? "", ...escaped].map((f) => `${f}\0`).join("");
}
