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
  AgentRosterCommand,
  AgentStatusCommand,
  AgentSendCommand,
  AgentTailCommand,
  AgentResetCommand,
];
