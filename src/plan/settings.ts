import type { BackendChoice } from "../roster/types.js";

/** Where the systemd backend's files live on this host. */
export interface InstallLayout {
  /** `$XDG_CONFIG_HOME/systemd/user`: where systemd looks for a user's unit files. */
  readonly unitDir: string;
  /** `~/.config/mosaic/tools`: the units run `%h/.config/mosaic/tools/fleet/...`, so it is fixed under HOME. */
  readonly toolsDir: string;
  /** `$XDG_STATE_HOME/mosaic/fleet`: one launch file per session, read by start-agent-session.sh. */
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

/** What the planner needs beyond the roster and the observation: read by the CLI, passed in as data. */
export interface PlanSettings {
  readonly backend: BackendChoice;
  readonly layout: InstallLayout;
  readonly product: readonly ProductFile[];
}

/** Settings for a host where nothing is installed: the default for planner tests that are not about systemd. */
export const NO_INSTALL_SETTINGS: PlanSettings = {
  backend: "auto",
  layout: { unitDir: "/home/op/.config/systemd/user", toolsDir: "/home/op/.config/mosaic/tools", launchDir: "/home/op/.local/state/mosaic/fleet", tmuxConfig: "/home/op/.config/mosaic/tools/tmux/mosaic.tmux.conf" },
  product: [],
};
