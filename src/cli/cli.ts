import { join } from "node:path";
import { Builtins, Cli } from "clipanion";
import { readTextFile } from "../adapters/fs.js";
import { packageRoot } from "../framework.js";
import { commands } from "./commands.js";
import HelpCommand from "./help.js";

export async function packageVersion(): Promise<string> {
  return (JSON.parse(await readTextFile(join(packageRoot, "package.json"), 1 << 20)) as { version: string }).version;
}

/** The `mosaic` CLI with every command registered; run it with a context of your own. */
export async function buildCli(opts: { colors: boolean }): Promise<Cli> {
  const cli = new Cli({
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
