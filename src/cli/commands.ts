import AgentRosterCommand from "./agent/roster.js";
import FleetInitCommand from "./fleet/init.js";

/** Every command the CLI registers, in help order. */
export const commands = [FleetInitCommand, AgentRosterCommand];
