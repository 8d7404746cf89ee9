import { jsonDocument } from "../../formats.js";
import { Option } from "clipanion";
import { sleep } from "../../adapters/processes.js";
import { UserError } from "../../errors.js";
import { followUp, lastLines, paneLines } from "../../message/pane-text.js";
import { describeDeadPane } from "../../observe/exit-status.js";
import { escapeRisky } from "../../text/safe-text.js";
import { TmuxCommand } from "../tmux-command.js";

const FOLLOW_POLL_MS = 500;
const MAX_LINES = 100_000;

export default class AgentTailCommand extends TmuxCommand {
  static override paths = [["agent", "tail"]];

  static override usage = TmuxCommand.Usage({
    category: "Agents",
    description: "Show the last lines an agent's pane shows",
    details:
      "Reads the agent's own pane (its scrollback and screen) with `tmux capture-pane`: text only, wrapped lines joined, the blank rows below the output left out. A dead pane's last output is shown too, with how it ended. With `--follow`, keeps printing what the pane shows next until interrupted (Ctrl+C) or the session ends; a TUI that redraws its screen is followed by its changed lines.",
    examples: [
      ["The last 80 lines of canary-pi", "$0 agent tail canary-pi -n 80"],
      ["Keep watching", "$0 agent tail canary-pi --follow"],
      ["Watch two agents, each line behind its name", "$0 agent tail canary-pi canary-claude --follow"],
      ["As JSON, for scripts", "$0 agent tail canary-pi -n 20 --json"],
    ],
  });

  names = Option.Rest({ name: "NAME", required: 1 });
  lines = Option.String("-n,--lines", "80", { description: "How many lines to show (default 80)" });
  follow = Option.Boolean("-f,--follow", false, { description: "Keep printing new output until interrupted" });
  json = Option.Boolean("--json", false, { description: "Print the lines as JSON" });

  protected override checkOptions(): void {
    this.count();
    if (this.follow && this.json) throw new UserError("--follow and --json cannot be used together");
  }

  private count(): number {
    if (!/^[0-9]+$/.test(this.lines) || Number(this.lines) > MAX_LINES) throw new UserError(`-n takes a whole number of lines up to ${MAX_LINES}; got ${JSON.stringify(this.lines)}`);
    return Number(this.lines);
  }

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    const tmux = this.tmuxFor(desired.socket);
    const names = [...new Set(this.names)];
    const targets = await this.agentTargets(desired, names, "tail");
    const n = this.count();
    // Wrapped lines are joined, so N lines can take more rows than N: read well beyond.
    const rows = Math.max(n * 4, 200);
    // Several agents: each line behind its agent's name, as docker compose logs does.
    const width = Math.max(...names.map((x) => x.length));
    const prefix = (name: string) => (names.length === 1 ? "" : `${name.padEnd(width)} | `);
    const read = await Promise.all(
      targets.map(async ({ pane }, i) => {
        const name = names[i]!;
        const captured = await tmux.capturePane(pane.id, rows);
        if (captured === null) throw new UserError(`${name}'s pane ${pane.id} went away`);
        const all = paneLines(captured, { dead: pane.dead });
        const ended = pane.dead ? describeDeadPane(pane) : null;
        return { name, pane, all, shown: lastLines(all, n), ended };
      }),
    );

    if (this.json) {
      const docs = read.map((r) => ({ agent: r.name, pane: r.pane.id, dead: r.pane.dead, ended: r.ended === "" ? null : r.ended, lines: r.shown }));
      this.printJson(names.length === 1 ? jsonDocument("agent-tail", docs[0]!) : jsonDocument("agent-tail", { results: docs }));
      return 0;
    }
    for (const r of read) {
      for (const line of r.shown) this.print(`${prefix(r.name)}${escapeRisky(line)}`);
      if (r.ended !== null) this.printErr(`(${r.name}'s pane is dead${r.ended === "" ? "" : `: ${r.ended}`}; \`mosaic agent reset ${r.name}\` starts it again)`);
    }
    if (!this.follow) return 0;
    await Promise.all(read.filter((r) => r.ended === null).map((r) => this.followPane(tmux, r.name, prefix(r.name), r.pane.id, rows, r.all)));
    return 0;
  }

  /** Print what the pane shows next, until Ctrl+C, the pane goes, or stdout closes (`| head`). */
  private async followPane(tmux: ReturnType<TmuxCommand["tmuxFor"]>, name: string, prefix: string, paneId: string, rows: number, previous: string[]): Promise<number> {
    return this.untilInterrupted(async (going) => {
      while (going()) {
        await sleep(FOLLOW_POLL_MS);
        // Its state first: a pane that died is read once more, its last output shown, and the follow ends, as tail's does.
        const state = await tmux.paneState(paneId);
        const captured = state === null ? null : state.dead ? await settledCapture(tmux, paneId, rows) : await tmux.capturePane(paneId, rows);
        if (state === null || captured === null) {
          this.printErr(`(${name}'s session ended)`);
          return 0;
        }
        const now = paneLines(captured, { dead: state.dead });
        for (const line of followUp(previous, now)) this.print(`${prefix}${escapeRisky(line)}`);
        previous = now;
        if (state.dead) {
          const how = describeDeadPane(state);
          this.printErr(`(${name}'s pane is dead${how === "" ? "" : `: ${how}`}; \`mosaic agent reset ${name}\` starts it again)`);
          return 0;
        }
      }
      return 0;
    });
  }
}

/**
 * A dead pane's last screen: tmux can mark a pane dead before it has read
 * the last bytes its program wrote, so it is read until two reads a poll
 * apart agree (a few at most).
 */
async function settledCapture(tmux: ReturnType<TmuxCommand["tmuxFor"]>, paneId: string, rows: number): Promise<string | null> {
  let last = await tmux.capturePane(paneId, rows);
  for (let i = 0; i < 5 && last !== null; i++) {
    await sleep(FOLLOW_POLL_MS);
    const again = await tmux.capturePane(paneId, rows);
    if (again === last) break;
    last = again;
  }
  return last;
}
