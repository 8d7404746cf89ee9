import type { PlanStep } from "./types.js";
import { formatMode } from "../text/mode.js";
import { quoteForDisplay } from "../text/quote.js";

/**
 * A step as the tool call it makes, for the plan and for failures:
 * `systemctl --user restart mosaic-agent@canary-pi.service`, or what mosaic
 * does with tmux itself.
 */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "tmux.launch":
      return `tmux new-session -d -s ${step.after.name}${step.after.launch === "new" ? " (without resume arguments)" : ""}`;
    case "tmux.label":
      return `tmux set-option (labels of session ${step.after.name})`;
    case "tmux.stop":
      return step.paneId === null
        ? `tmux kill-session -t =${step.session}`
        : `SIGTERM to pane ${step.paneId}'s process group, SIGKILL after ${step.graceSeconds}s; tmux kill-session -t =${step.session}`;
    case "systemctl":
      return `systemctl --user ${step.verb} ${step.unit}${step.vouched ? " (recording what mosaic did)" : ""}`;
    case "daemon-reload":
      return "systemctl --user daemon-reload";
    case "file.write":
      return `${step.backup ? "back up and " : ""}write ${quoteForDisplay(step.path)} (mode ${formatMode(step.mode)})`;
    case "file.remove":
      return `remove ${quoteForDisplay(step.path)}`;
  }
}
