import AgentAttachCommand from "./agent/attach.js";
import AgentResetCommand from "./agent/reset.js";
import AgentRosterCommand from "./agent/roster.js";
import AgentSendCommand from "./agent/send.js";
import AgentStatusCommand from "./agent/status.js";
import AgentTailCommand from "./agent/tail.js";
import FleetApplyCommand from "./fleet/apply.js";
import FleetInitCommand from "./fleet/init.js";
import FleetInstallSystemdCommand from "./fleet/install-systemd.js";
import FleetPlanCommand from "./fleet/plan.js";
import FleetPreflightCommand from "./fleet/preflight.js";
import FleetRestartCommand from "./fleet/restart.js";
import FleetShowCommand from "./fleet/show.js";
import FleetStartCommand from "./fleet/start.js";
import FleetStatusCommand from "./fleet/status.js";
import FleetStopCommand from "./fleet/stop.js";
import FleetVerifyCommand from "./fleet/verify.js";
import UpdateCommand from "./update.js";
import CompletionCommand from "./completion-command.js";

/** Every command the CLI registers, in help order. */
export const commands = [
  FleetInitCommand,
  FleetPlanCommand,
  FleetShowCommand,
  FleetApplyCommand,
  FleetStartCommand,
  FleetStopCommand,
  FleetRestartCommand,
  FleetStatusCommand,
  FleetVerifyCommand,
  FleetInstallSystemdCommand,
  FleetPreflightCommand,
  UpdateCommand,
  CompletionCommand,
  AgentRosterCommand,
  AgentStatusCommand,
  AgentAttachCommand,
  AgentSendCommand,
  AgentTailCommand,
  AgentResetCommand,
];

/** The first words that take a command after them. */
export const COMMAND_GROUPS = ["fleet", "agent"] as const;

/** Every registered command's path (`["fleet", "plan"]`), in help order. */
export function commandPaths(): string[][] {
  return commands.flatMap((c) => (c.paths ?? []).map((p) => [...p]));
}
