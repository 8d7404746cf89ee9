import { join } from "node:path";
import { PRODUCT_FILES } from "./framework.js";
import type { InstallLayout } from "./plan/settings.js";
import { homeDir, mosaicStateDir, xdgConfigHome } from "./xdg.js";

type Env = Readonly<Record<string, string | undefined>>;

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
    launchDir: join(mosaicStateDir(env), "fleet"),
    tmuxConfig: join(toolsDir, "tmux", "mosaic.tmux.conf"),
  };
}

/** Where a product file is installed. */
export function installedPath(layout: InstallLayout, file: (typeof PRODUCT_FILES)[number]): string {
  return file.type === "file.unit" ? join(layout.unitDir, file.name) : join(layout.toolsDir, file.name);
}
