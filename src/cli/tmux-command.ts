import { dirname } from "node:path";
import { folderOwnership, listeningWithoutFile, resolveTmuxTmpdir } from "../adapters/host.js";
import { TmuxClient, tmuxSocketPath } from "../adapters/tmux.js";
import { UserError } from "../errors.js";
import { frameworkPaths } from "../framework.js";
import { agentPane, type AgentPane } from "../message/target.js";
import { otherRosterPaths } from "../observe/observe.js";
import { observeFleet } from "../observe/observe-fleet.js";
import { ownRosterId } from "../identity/roster-id.js";
import { lostSocketProblem, socketDirProblem } from "../plan/launch-checks.js";
import type { DesiredFleet } from "../roster/types.js";
import { MosaicCommand } from "./base.js";

/** Commands that talk to the fleet's tmux server: TMUX_TMPDIR resolved as tmux resolves it, one client per socket. */
export abstract class TmuxCommand extends MosaicCommand {
  private tmuxTmpdir: string | undefined;

  /** TMUX_TMPDIR must be what tmux will really use, or every socket path (and lock) would be wrong. */
  protected override async checkEnvironment(): Promise<void> {
    this.tmuxTmpdir = await resolveTmuxTmpdir(this.context.env.TMUX_TMPDIR);
  }

  /** The environment, with TMUX_TMPDIR resolved as tmux resolves it. */
  protected override get env(): Readonly<Record<string, string | undefined>> {
    return this.tmuxTmpdir === undefined ? this.context.env : { ...this.context.env, TMUX_TMPDIR: this.tmuxTmpdir };
  }

  protected tmuxFor(socket: string): TmuxClient {
    return new TmuxClient({ socket, configPath: frameworkPaths.tmuxConfig, env: this.env });
  }

  protected get uid(): number {
    return process.getuid?.() ?? 0;
  }

  /**
   * The agent's own pane, for `agent send` and `agent tail`, from one look
   * at the fleet: or a UserError saying why there is none to use (a socket
   * folder tmux refuses, another roster's session, no live pane, ...).
   */
  protected async agentTarget(desired: DesiredFleet, name: string, purpose: "send" | "tail"): Promise<AgentPane> {
    return (await this.agentTargets(desired, [name], purpose))[0]!;
  }

  /**
   * Several agents' panes from one look at the fleet, in the order named:
   * or one UserError naming every agent that cannot be reached, and why.
   */
  protected async agentTargets(desired: DesiredFleet, names: readonly string[], purpose: "send" | "tail"): Promise<AgentPane[]> {
    const seen = await observeFleet(this.tmuxFor(desired.socket), desired);
    const refusal = seen.serverRunning ? null : await this.socketDirRefusal(desired.socket);
    if (refusal !== null) throw new UserError(purpose === "send" ? `${refusal}; nothing was sent` : refusal);
    const paths = await otherRosterPaths(seen, ownRosterId(desired), this.env);
    const found = names.map((name) => agentPane(desired, seen, name, purpose, paths));
    const refused = found.filter((f): f is Extract<typeof f, { ok: false }> => !f.ok);
    if (refused.length === 0) return found.map((f) => (f as Extract<typeof f, { ok: true }>).target);
    if (names.length === 1) throw new UserError(refused[0]!.message, refused[0]!.hints);
    const nothing = purpose === "send" ? "; nothing was sent to any agent" : "";
    const why = refused.map((f) => f.message.replace(/; nothing was sent$/, ""));
    throw new UserError(refused.length === 1 ? `${why[0]}${nothing}` : `${refused.length} of the ${names.length} agents cannot take it${nothing}:\n  ${why.join("\n  ")}`, [...new Set(refused.flatMap((f) => f.hints))]);
  }

  /** Why tmux would refuse the socket's folder, or null: a refused socket looks like no server at all. */
  protected async socketDirRefusal(socket: string): Promise<string | null> {
    const path = tmuxSocketPath(socket, this.env, this.uid);
    const dir = dirname(path);
    const owner = await folderOwnership(dir);
    const unsafe = socketDirProblem(owner && { path: dir, ...owner }, this.uid);
    if (unsafe !== null) return unsafe;
    // No server answers: one whose socket file was removed would pass for none.
    if (await listeningWithoutFile(path)) return lostSocketProblem(path);
    return null;
  }
}
