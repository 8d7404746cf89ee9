import { Option } from "clipanion";
import { UserError } from "../errors.js";
import { MosaicCommand } from "./base.js";
import { complete, completionScript, type CommandShape } from "./completion.js";

const SHELLS = ["bash", "zsh", "fish"] as const;

/** The commands whose arguments are agent names. */
const AGENT_ARGUMENTS = new Set(["agent status", "agent attach", "agent send", "agent tail", "agent reset"]);

export default class CompletionCommand extends MosaicCommand {
  static override paths = [["completion"]];

  static override usage = MosaicCommand.Usage({
    category: "Setup",
    description: "Print the shell completion script for bash, zsh or fish",
    details: "The script completes mosaic's commands, their options, and the roster's agent names (read from `--roster` when it was typed, else the default roster). It asks mosaic itself for the candidates, so it never goes out of date with mosaic.",
    examples: [
      ["Complete in this bash", "source <($0 completion bash)"],
      ["In every bash", "$0 completion bash > ~/.local/share/bash-completion/completions/mosaic"],
      ["zsh", "source <($0 completion zsh)"],
      ["fish", "$0 completion fish > ~/.config/fish/completions/mosaic.fish"],
    ],
  });

  /** What the scripts call: the candidates for the last word, after the words before it. */
  complete = Option.Boolean("--complete", false, { hidden: true });
  /** The shell; with --complete, the words typed so far. */
  words = Option.Rest({ name: "SHELL" });

  protected async run(): Promise<number> {
    if (!this.complete) {
      const shell = this.words.length === 1 ? SHELLS.find((s) => s === this.words[0]) : undefined;
      if (shell === undefined) throw new UserError(`completion: name one shell: ${SHELLS.join(", ")}${this.words.length === 0 ? "" : `; got ${this.words.map((w) => JSON.stringify(w)).join(" ")}`}`);
      this.context.stdout.write(completionScript(shell));
      return 0;
    }
    const typed = this.words;
    const before = typed.slice(0, -1);
    const current = typed.at(-1) ?? "";
    const roster = before.indexOf("--roster");
    if (roster !== -1 && before[roster + 1] !== undefined) this.rosterOption = before[roster + 1];
    // A broken or missing roster offers no names; the rest still completes.
    const names = await this.loadDesired().then(
      (d) => d.agents.map((a) => a.name),
      () => [],
    );
    for (const candidate of complete(before, current, this.shapes(), () => names)) this.print(candidate);
    return 0;
  }

  /** Every documented command's words, options, and whether it takes agent names, from the CLI's own definitions. */
  private shapes(): CommandShape[] {
    return this.cli.definitions().map((d) => ({
      path: d.path.split(" ").slice(1),
      options: d.options.map((o) => {
        const [names, value] = o.definition.split(" ");
        return { names: names!.split(","), value: value ?? null };
      }),
      takesAgents: AGENT_ARGUMENTS.has(d.path.split(" ").slice(1).join(" ")),
    }));
  }
}
