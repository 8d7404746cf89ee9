/**
 * Runs agent-send.sh, the fleet's message tool (framework/tools/tmux): the
 * one command line mosaic builds to type into an agent's pane. The message
 * goes on standard input, never on a command line: no size cap, and nothing
 * of it in `ps`.
 */
import { loadExeca } from "./exec.js";
import type { SubmitSettings } from "../roster/types.js";

export interface AgentSendCall {
  /** The agent-send.sh to run: the installed one, else the one shipped. */
  readonly script: string;
  readonly socket: string;
  readonly agent: string;
  /** The pane the caller observed: the script sends only if it is still the agent's. */
  readonly pane: string;
  /** Always given, so the script never works out a label from the caller's own pane. */
  readonly label: string;
  readonly submit: SubmitSettings;
  readonly text: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface AgentSendResult {
  /** agent-send.sh's status: 0 delivered, 1 nothing sent, 2 usage, 3 typed but not confirmed. */
  readonly exitCode: number;
  readonly stderr: string;
}

/** A shell's status for a child a signal ended (128 + its number), for the signals that stop a send. */
const STOPPED_BY = new Map<number, string>([
  [129, "SIGHUP"],
  [130, "SIGINT"],
  [143, "SIGTERM"],
]);

export function agentSendArgv(call: Omit<AgentSendCall, "text" | "env">): string[] {
  return [call.script, "-L", call.socket, "-S", call.label, "-p", call.pane, "-k", call.submit.key, "-s", String(call.submit.settleMs), "--", call.agent, "-"];
}

export async function runAgentSend(call: AgentSendCall): Promise<AgentSendResult> {
  const [file, ...args] = agentSendArgv(call);
  const env = { ...call.env };
  delete env.TMUX; // the label is given; nothing about the caller's own pane may reach the script
  delete env.TMUX_PANE;
  const execa = await loadExeca();
  const r = await execa(file!, args, { input: call.text, env, extendEnv: false, reject: false, stdout: "ignore" });
  // Ended by a signal before the paste (from the paste on, send-message.sh finishes what it typed):
  // agent-send.sh itself, or send-message.sh, whose status (128 + the signal) agent-send.sh passes on.
  const signal = r.signal ?? (r.exitCode !== undefined && STOPPED_BY.has(r.exitCode) ? STOPPED_BY.get(r.exitCode)! : null);
  if (signal !== null && signal !== "SIGKILL") return { exitCode: 1, stderr: `interrupted (${signal}) before the text was typed; nothing was sent` };
  if (r.exitCode === undefined && r.signal === "SIGKILL") return { exitCode: 3, stderr: "killed (SIGKILL) while sending: the text may be typed into the pane but not submitted; the next send to this agent submits it on its own first" };
  if (r.exitCode === undefined) {
    const why = (r.cause as { code?: string } | undefined)?.code ?? r.shortMessage;
    return { exitCode: 1, stderr: `could not run ${file}: ${why}` };
  }
  return { exitCode: r.exitCode, stderr: String(r.stderr) };
}
