import { join } from "node:path";
import { Builtins, Cli, type BaseContext, type CommandClass } from "clipanion";
import { readTextFile } from "../adapters/fs.js";
import { packageRoot } from "../framework.js";
import { commands } from "./commands.js";
import HelpCommand from "./help.js";
import { nameOptionValues } from "./option-values.js";

export async function packageVersion(): Promise<string> {
  return (JSON.parse(await readTextFile(join(packageRoot, "package.json"), 1 << 20)) as { version: string }).version;
}

class MosaicCli extends Cli {
  /**
   * clipanion names every option value `#0`, in one place: each command's
   * builder.usage(), which feeds the help's usage lines and options table
   * (whose padding it measures), the top-level list and the usage printed
   * after a syntax error. Naming the values there fixes all of them at once.
   */
  override register(commandClass: CommandClass<BaseContext>): void {
    super.register(commandClass);
    const { builder } = this.registrations.get(commandClass)!;
    const usage = builder.usage.bind(builder);
    builder.usage = (opts) => {
      const u = usage(opts);
      return { usage: nameOptionValues(u.usage), options: u.options.map((o) => ({ ...o, definition: nameOptionValues(o.definition) })) };
    };
  }
}

/** The `mosaic` CLI with every command registered; run it with a context of your own. */
export async function buildCli(opts: { colors: boolean }): Promise<Cli> {
  const cli = new MosaicCli({
    binaryLabel: "Mosaic fleet: AI coding agents in tmux, reconciled from a roster",
    binaryName: "mosaic",
    binaryVersion: await packageVersion(),
    enableColors: opts.colors,
  });
  cli.register(HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commands) cli.register(command);
  return cli;
}
