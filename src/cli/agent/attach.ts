import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { TmuxCommand } from "../tmux-command.js";

export default class AgentAttachCommand extends TmuxCommand {
  static override paths = [["agent", "attach"]];

  static override usage = TmuxCommand.Usage({
    category: "Agents",
    description: "Attach your terminal to an agent's session, to watch or talk to it",
    details: `
      Runs \`tmux attach-session\` on the fleet's own socket, so you see the agent's screen and what you type goes to it, until you detach: the fleet's prefix key (C-b unless its tmux config says otherwise), then d. Detaching leaves the agent running. With \`--read-only\` you watch and cannot type (detaching still works).

      From inside another tmux it works as well: the fleet's server is another one. If your own tmux's prefix is also C-b, the first press goes to yours: press it twice (C-b C-b d) to detach from the agent.

      It needs a terminal; without one (a script, cron) it exits 1. To read an agent's screen without one: \`mosaic agent tail NAME\`.
    `,
    examples: [
      ["Watch and talk to canary-pi", "$0 agent attach canary-pi"],
      ["Only watch", "$0 agent attach canary-pi --read-only"],
    ],
  });

  name = Option.String({ name: "NAME" });
  readOnly = Option.Boolean("-r,--read-only", false, { description: "Watch only: what you type does not reach the agent" });

  protected async run(): Promise<number> {
    // Checked first: a script must get its answer before anything else happens.
    if (!(this.context.stdin as NodeJS.ReadStream).isTTY || !process.stdout.isTTY) {
      throw new UserError("no terminal to attach: `mosaic agent attach` shows the agent's screen on yours, so it needs one", [`To read ${this.name}'s screen without a terminal: mosaic agent tail ${this.name}`]);
    }
    const desired = await this.loadDesired();
    const tmux = this.tmuxFor(desired.socket);
    const { session, pane } = await this.agentTarget(desired, this.name, "tail");
    const prefix = (await tmux.prefixKey()) ?? "C-b";
    const how = this.readOnly ? "read-only: you watch, and what you type does not reach it" : "what you type goes to the agent";
    this.printErr(`Attaching to ${session.name} on socket "${desired.socket}" (${how}). Detach with ${prefix} d; the agent keeps running.`);
    if (this.env.TMUX) this.printErr(`You are inside tmux: if its prefix is also ${prefix}, press it twice to reach the fleet's (${prefix} ${prefix} d).`);
    if (pane.dead) this.printErr(`${this.name}'s pane is dead: you will see how it ended. \`mosaic agent reset ${this.name}\` starts it again.`);
    const code = await tmux.attach(session.name, { readOnly: this.readOnly });
    if (code !== 0) throw new UserError(`tmux could not attach to ${session.name} (exit ${code})`);
    return 0;
  }
}
