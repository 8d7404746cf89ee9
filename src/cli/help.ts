import { Command, Option } from "clipanion";

/**
 * `mosaic`, `mosaic -h` and `mosaic --help`: clipanion's command list, then
 * the first steps, so the top-level help carries examples like every
 * command's own `--help`.
 */
export default class HelpCommand extends Command {
  static override paths = [Command.Default, ["-h"], ["--help"]];

  async execute(): Promise<number> {
    this.context.stdout.write(this.cli.usage(null));
    this.context.stdout.write(`
Examples
  $ mosaic fleet init --profile minimal --write    install a site roster
  $ mosaic fleet plan                              show what would change
  $ mosaic fleet apply                             make the fleet match the roster
  $ mosaic agent roster                            list the roster's agents

The roster lives at $XDG_CONFIG_HOME/mosaic/fleet/roster.yaml (~/.config/...);
every command takes --roster PATH to use another file.
`);
    return 0;
  }
}

/** `mosaic help`: the help; `mosaic help fleet plan`: that command's, as `mosaic fleet plan --help`. */
export class HelpTopicCommand extends Command {
  static override paths = [["help"]];

  command = Option.Rest();

  async execute(): Promise<number> {
    return this.cli.run([...this.command, "--help"]);
  }
}
