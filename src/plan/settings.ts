import type { InstallLayout, ProductFile } from "../layout.js";
import type { BackendChoice } from "../roster/types.js";

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
