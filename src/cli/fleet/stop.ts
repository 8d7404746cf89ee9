import { Option } from "clipanion";
import { UserError } from "../../errors.js";
import { limitedTo, STOP_INTENT } from "../../plan/types.js";
import { socketNameProblem } from "../../identity/socket-name.js";
import { AGENT_DEFAULTS } from "../../roster/normalise.js";
import { DEFAULT_BACKEND, type DesiredFleet } from "../../roster/types.js";
import { ReconcileCommand } from "../reconcile-command.js";
import { requireAgents } from "../require-agents.js";
import { AGENT_NAME } from "../../message/target.js";

export default class FleetStopCommand extends ReconcileCommand {
  static override paths = [["fleet", "stop"]];

  static override usage = ReconcileCommand.Usage({
    category: "Fleet",
    description: "Stop every agent and the holder session",
    details: `
      Reconciles to a fleet with nothing running: every session mosaic made on the socket is stopped (SIGTERM to the agent's process group, then SIGKILL after its grace period), the holder last. Sessions mosaic did not make are left alone, and the default tmux server is never touched.

      Under systemd (the units installed by \`mosaic fleet install-systemd\`), the agents' units are stopped, then the holder's, and they stay enabled: the fleet starts again at your next login, or at boot with lingering. To keep an agent down, set \`enabled: false\` in the roster and apply, which disables its unit; to take the whole fleet off systemd, follow the rollback in the README.

      With \`--agent NAME\` only that agent is stopped (its unit too, under systemd, which stays enabled); the holder and the other agents keep running. The next \`fleet plan\` shows the stopped agent as missing: \`fleet start --agent NAME\` or \`fleet apply\` starts it again.

      With \`--socket NAME\` it reads no roster at all: it stops the sessions mosaic made on that socket, each with the default grace period (5 s; never one read from the session, which its agent could have rewritten). Use it when the roster is broken, or names another socket than the fleet that still runs.
    `,
    examples: [
      ["Stop the fleet", "$0 fleet stop"],
      ["Stop one agent, leaving the others running", "$0 fleet stop --agent canary-pi"],
      ["Stop a fleet by its socket, without the roster", "$0 fleet stop --socket mosaic-factory"],
    ],
  });

  socket = Option.String("--socket", { description: "Stop the fleet on this tmux socket without reading a roster" });
  agents = Option.Array("--agent", [], { description: "Stop only this agent (repeatable)" });

  protected async run(): Promise<number> {
    const target = await this.target();
    // Without a roster (--socket), any session name mosaic could have made; with one, its agents, enabled or not.
    if (target.rosterPath !== null) requireAgents(target, this.agents, "--agent", { enabled: "any" });
    const stray = this.agents.find((name) => !AGENT_NAME.test(name));
    if (stray !== undefined) throw new UserError(`--agent: not an agent name: ${JSON.stringify(stray)}`);
    return this.reconcileTo(target, limitedTo(STOP_INTENT, this.agents), { confirm: false, autoApprove: true });
  }

  private async target(): Promise<DesiredFleet> {
    if (this.socket === undefined) {
      try {
        return await this.loadDesired();
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        throw new UserError(err.message, [...err.hints, "To stop a running fleet without the roster: mosaic fleet stop --socket NAME"]);
      }
    }
    if (this.rosterOption !== undefined) throw new UserError("give --socket or --roster, not both: --socket stops a fleet without reading any roster");
    const problem = socketNameProblem(this.socket);
    if (problem) throw new UserError(`--socket "${this.socket}": ${problem}`);
    // No roster: the product's defaults, the default grace for every session and the default backend.
    return { rosterPath: null, socket: this.socket, backend: DEFAULT_BACKEND, agents: [], defaults: { stopGraceSeconds: AGENT_DEFAULTS.stopGraceSeconds } };
  }
}
