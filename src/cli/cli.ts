import { join } from "node:path";
import { Builtins, Cli } from "clipanion";
import { readTextFile } from "../adapters/fs.js";
import { packageRoot } from "../framework.js";
import { commands } from "./commands.js";
import HelpCommand from "./help.js";

export async function packageVersion(): Promise<string> {
  return (JSON.parse(await readTextFile(join(packageRoot, "package.json"), 1 << 20)) as { version: string }).version;
}

/** What each option's value is, shown in help instead of clipanion's `#0`. */
const VALUE_NAMES: Record<string, string> = {
  "--roster": "PATH",
  "--lock-timeout": "SECONDS",
  "--profile": "NAME",
  "--force-replace": "NAME",
  "--agent": "NAME",
};

/**
 * clipanion names every option value `#0`; name them for the reader, then
 * re-align the options table, whose padding was computed for `#0`.
 */
class MosaicCli extends Cli {
  override usage(...args: Parameters<Cli["usage"]>): string {
    const named = super.usage(...args).replace(/(--[a-z-]+) #0/g, (all, name: string) => (VALUE_NAMES[name] ? `${name} ${VALUE_NAMES[name]}` : all));
    const row = /^ {2}(-\S.*?) {2,}(\S.*)$/;
    const lines = named.split("\n");
    const width = Math.max(0, ...lines.map((l) => row.exec(l)?.[1]?.length ?? 0));
    return lines.map((l) => l.replace(row, (_all, def: string, desc: string) => `  ${def.padEnd(width)}  ${desc}`)).join("\n");
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
