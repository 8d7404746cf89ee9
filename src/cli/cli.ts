import { Builtins, Cli, Command, type BaseContext, type CommandClass } from "clipanion";
import { packageVersion } from "./package-version.js";
import { colorWanted, createStyle } from "../render/style.js";
import { COMMAND_GROUPS, commandPaths, commands } from "./commands.js";
import { AgentHelpCommand, FleetHelpCommand, isGroupHelp, type CommandGroup } from "./group-help.js";
import HelpCommand, { HelpTopicCommand } from "./help.js";
import { bindTextOptions, nameOptionValues } from "./option-values.js";
import { GuardedOutput, settleOutput } from "./output.js";
import { unknownCommand, unknownCommandLines } from "./unknown-command.js";

type UsageOptions = NonNullable<Parameters<Cli["usage"]>[1]>;

class MosaicCli extends Cli {
  /**
   * clipanion names every option value `#0`, in one place: each command's
   * builder.usage(), which feeds the help's usage lines and options table
   * (whose padding it measures), the top-level list and the usage printed
   * after a syntax error. Naming the values there fixes all of them at once.
   * A group's usage, shown after `mosaic fleet --bogus`, is its synopsis.
   */
  override register(commandClass: CommandClass<BaseContext>): void {
    super.register(commandClass);
    const { builder } = this.registrations.get(commandClass)!;
    if (isGroupHelp(commandClass)) {
      builder.usage = () => ({ usage: `${this.binaryName} ${commandClass.group.name} <command>`, options: [] });
      return;
    }
    const usage = builder.usage.bind(builder);
    builder.usage = (opts) => {
      const u = usage(opts);
      return { usage: nameOptionValues(u.usage), options: u.options.map((o) => ({ ...o, definition: nameOptionValues(o.definition) })) };
    };
  }

  override usage(command: CommandClass<BaseContext> | Command<BaseContext> | null = null, opts: UsageOptions = {}): string {
    const commandClass = command instanceof Command ? command.constructor : command;
    if (isGroupHelp(commandClass)) return this.groupUsage(commandClass.group, opts.colored);
    return super.usage(command, opts);
  }

  /**
   * clipanion lists a command once for each way the input failed to match
   * it, so `mosaic agent status a b --json` offered `mosaic agent status`
   * twice (and `mosaic fleet pln --json`, `mosaic fleet <command>`).
   * Its UnknownSyntaxError is not exported: rebuild it by its constructor.
   */
  override error(error: unknown, opts?: Parameters<Cli["error"]>[1]): string {
    if (error instanceof Error && error.name === "UnknownSyntaxError" && "input" in error && "candidates" in error && Array.isArray(error.candidates)) {
      const candidates = error.candidates as { usage: string; reason: string | null }[];
      const unique = candidates.filter((c, i) => candidates.findIndex((d) => d.usage === c.usage) === i);
      if (unique.length < candidates.length) return super.error(new (error.constructor as new (input: unknown, candidates: unknown) => Error)(error.input, unique), opts);
    }
    return super.error(error, opts);
  }

  /**
   * Every run writes through GuardedOutput, so a closed pipe or a full disk
   * can neither crash the process nor stop a command halfway; when the
   * command has ended, a failed write makes the exit status 1.
   */
  override run(input: Command<BaseContext> | string[], context: void): Promise<number>;
  override run(input: Command<BaseContext> | string[], context: Partial<BaseContext>): Promise<number>;
  override async run(input: Command<BaseContext> | string[], context: Partial<BaseContext> | void): Promise<number> {
    const given: Partial<BaseContext> = context ?? {};
    const stdout = GuardedOutput.of(given.stdout ?? Cli.defaultContext.stdout);
    const stderr = GuardedOutput.of(given.stderr ?? Cli.defaultContext.stderr);
    let command: Command<BaseContext>;
    try {
      command = Array.isArray(input) ? this.process(bindTextOptions(input), { ...Cli.defaultContext, ...given, stdout, stderr }) : input;
    } catch (error) {
      // clipanion prints a command line it cannot parse, and the usage, on stdout: into what a script
      // or cron reads as the command's output. It is an error: stderr, exit 1.
      const style = createStyle(colorWanted(stderr, given.env ?? Cli.defaultContext.env));
      const unknown = Array.isArray(input) && error instanceof Error && error.name === "UnknownSyntaxError" ? unknownCommand(input, commandPaths(), COMMAND_GROUPS) : null;
      if (unknown !== null) stderr.write(`${unknownCommandLines(unknown, style.red).join("\n")}\n`);
      else stderr.write(this.error(error, { colored: this.enableColors ?? false }));
      return settleOutput(1, stdout, stderr, style);
    }
    const code = await super.run(command, { ...given, stdout, stderr });
    return settleOutput(code, stdout, stderr, createStyle(colorWanted(stderr, given.env ?? Cli.defaultContext.env)));
  }

  /** A group's commands, in registration (help) order, each with its description, then examples. */
  private groupUsage(group: CommandGroup, colored: boolean | undefined): string {
    const f = this.format(colored);
    const rows: [string, string][] = [];
    for (const [commandClass, { index }] of this.registrations) {
      if (commandClass.paths?.[0]?.[0] !== group.name || commandClass.usage === undefined) continue;
      // Options with a description go to the command's own table; what stays is the path and its arguments.
      rows.push([this.getUsageByIndex(index, { detailed: true, inlineOptions: false }).usage, commandClass.usage.description ?? ""]);
    }
    const width = Math.max(...rows.map(([u]) => u.length));
    const exampleWidth = Math.max(...group.examples.map(([line]) => line.length));
    return [
      f.header(group.title),
      "",
      `  ${f.bold("$ ")}mosaic ${group.name} <command>`,
      "",
      ...rows.map(([u, description]) => `  ${f.bold(u.padEnd(width))}  ${description}`),
      "",
      f.header("Examples"),
      ...group.examples.map(([line, what]) => `  ${f.bold("$ ")}${line.padEnd(exampleWidth)}  ${what}`),
      "",
      `Run \`mosaic ${group.name} <command> --help\` for a command's options, details and more examples.`,
      "",
    ].join("\n");
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
  cli.register(HelpTopicCommand);
  cli.register(Builtins.VersionCommand);
  cli.register(FleetHelpCommand);
  cli.register(AgentHelpCommand);
  for (const command of commands) cli.register(command);
  return cli;
}
