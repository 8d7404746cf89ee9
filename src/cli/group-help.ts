import { Command, Option } from "clipanion";
import { colorWanted, createStyle } from "../render/style.js";
import { COMMAND_GROUPS, commandPaths } from "./commands.js";
import { unknownCommand, unknownCommandLines } from "./unknown-command.js";

/** A first word of mosaic's commands, with what its help says besides the command list. */
export interface CommandGroup {
  readonly name: string;
  readonly title: string;
  /** [command line, what it does] */
  readonly examples: readonly (readonly [string, string])[];
}

/**
 * `mosaic GROUP`, `mosaic GROUP -h` and `mosaic GROUP --help`: that group's
 * commands with their descriptions, then a few examples. The text comes
 * from the CLI's usage() (MosaicCli renders a group there), because
 * clipanion answers `-h` and `--help` itself by asking usage() about the
 * command class. Group classes have no static `usage`, so the top-level
 * help does not list them as commands.
 *
 * A word that names none of the group's commands (`mosaic fleet pln`) lands
 * here too, since every longer path fails to match: it is an error, with the
 * list of the group's commands to choose from.
 */
export abstract class GroupHelpCommand extends Command {
  static readonly group: CommandGroup;

  command = Option.String({ name: "command", required: false });

  async execute(): Promise<number> {
    const help = this.cli.usage(this, { detailed: true });
    if (this.command === undefined) {
      this.context.stdout.write(help);
      return 0;
    }
    const { name } = (this.constructor as typeof GroupHelpCommand).group;
    const s = createStyle(colorWanted(this.context.stderr as { isTTY?: boolean }, this.context.env));
    const unknown = unknownCommand([name, this.command], commandPaths(), COMMAND_GROUPS) ?? { tried: [name, this.command], suggestion: null };
    this.context.stderr.write(`${unknownCommandLines(unknown, s.red).slice(0, -1).join("\n")}\n\n${help}`);
    return 1;
  }
}

export function isGroupHelp(command: unknown): command is typeof GroupHelpCommand {
  return typeof command === "function" && command.prototype instanceof GroupHelpCommand;
}

export class FleetHelpCommand extends GroupHelpCommand {
  static override paths = [["fleet"]];
  static override readonly group: CommandGroup = {
    name: "fleet",
    title: "Fleet commands: the whole fleet, reconciled to the roster",
    examples: [
      ["mosaic fleet init --profile minimal --write", "install a site roster"],
      ["mosaic fleet plan", "show what would change"],
      ["mosaic fleet apply", "make the fleet match the roster"],
      ["mosaic fleet status", "show every agent and its drift"],
    ],
  };
}

export class AgentHelpCommand extends GroupHelpCommand {
  static override paths = [["agent"]];
  static override readonly group: CommandGroup = {
    name: "agent",
    title: "Agent commands: the roster's agents, one at a time",
    examples: [
      ["mosaic agent roster", "list the roster's agents"],
      ["mosaic agent status canary-pi", "show one agent's session"],
      ["mosaic agent attach canary-pi", "watch and talk to it in your terminal"],
      ['mosaic agent send canary-pi --message "status check"', "type a message into its pane"],
      ["mosaic agent tail canary-pi -n 80", "show what it printed"],
      ["mosaic agent reset canary-pi --new", "restart it on a new conversation"],
    ],
  };
}
