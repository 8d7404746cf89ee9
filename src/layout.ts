import { join } from "node:path";
import { PRODUCT_FILES } from "./framework.js";
import { homeDir, xdgConfigHome } from "./xdg.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the systemd backend's files live on this host. */
export interface InstallLayout {
  /** `$XDG_CONFIG_HOME/systemd/user`: where systemd looks for a user's unit files. */
  readonly unitDir: string;
  /** `~/.config/mosaic/tools`: the units run `%h/.config/mosaic/tools/fleet/...`, so it is fixed under HOME. */
  readonly toolsDir: string;
  /** `~/.local/state/mosaic/fleet`: one launch file per session, read by start-agent-session.sh (the units name this folder). */
  readonly launchDir: string;
  /** The installed tmux config, which launch files name, so a boot-time start does not depend on where npm put mosaic. */
  readonly tmuxConfig: string;
}

/** A file this mosaic installs: its bytes and mode as shipped in the package. */
export interface ProductFile {
  readonly type: "file.unit" | "file.tool";
  /** Its name in addresses: `mosaic-agent@.service`, `fleet/start-agent-session.sh`. */
  readonly name: string;
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/**
 * Where the systemd backend's files go for this user. The tools folder is
 * under HOME whatever XDG_CONFIG_HOME says, because the units name it as
 * `%h/.config/mosaic/tools`; unit files go where systemd looks for them.
 */
export function installLayout(env: Env): InstallLayout {
  const toolsDir = join(homeDir(env), ".config", "mosaic", "tools");
  return {
    unitDir: join(xdgConfigHome(env), "systemd", "user"),
    toolsDir,
    // Under HOME too: the units pass `%h/.local/state/mosaic/fleet` to the scripts, whatever the shell's XDG_STATE_HOME.
    launchDir: join(homeDir(env), ".local", "state", "mosaic", "fleet"),
    tmuxConfig: join(toolsDir, "tmux", "mosaic.tmux.conf"),
  };
}

/** Where a product file is installed. */
export function installedPath(layout: InstallLayout, file: (typeof PRODUCT_FILES)[number]): string {
  return file.type === "file.unit" ? join(layout.unitDir, file.name) : join(layout.toolsDir, file.name);
}
