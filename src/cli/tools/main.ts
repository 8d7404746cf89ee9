/**
 * The session tool: what the units' ExecStart/ExecStop and the message
 * scripts run (framework/tools/*.sh are thin shims that check their
 * arguments and exec this, bundled as framework/tools/lib/mosaic-session.mjs,
 * with the node `fleet install-systemd` or `mosaic update` recorded). It is
 * the same TypeScript the mosaic command runs: one label parser, one way
 * to find an agent's pane, one process-group stop, one launch-file reader.
 *
 *   start-agent-session AGENT [LAUNCH_DIR]
 *   stop-agent-session AGENT [LAUNCH_DIR]
 *   agent-send -L SOCKET [-S LABEL] [-p PANE] [-k KEY] [-s SETTLE_MS] [--] AGENT TEXT|-
 *   send-message -L SOCKET -t PANE [-k KEY] [-s SETTLE_MS] [--] TEXT|-
 *
 * Exit status: 0 done; 1 refused or failed (the message says why, and for
 * a send whether anything was sent); 2 usage; 3 a message typed but not
 * seen taken; 128+N stopped by signal N before anything was typed.
 */
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { catchingStopSignals, signalledStatus, type StopSignal } from "../../adapters/processes.js";
import { TmuxClient, tmuxSocketPath } from "../../adapters/tmux.js";
import { labelProblem, operatorLabel, prepareMessage, typeableText, type PreparedMessage } from "../../message/frame.js";
import { socketNameProblem } from "../../identity/socket-name.js";
import { launchDirOf, readLaunchSource, sessionNameProblem } from "../../session/launch-source.js";
import { sendToAgent } from "../../session/send.js";
import { sendLimits } from "../../session/send-limits.js";
import { startFromLaunchFile } from "../../session/start-session.js";
import { stopFromLaunchFile } from "../../session/stop-session.js";
import { typeMessage, type TypeOutcome } from "../../session/type-message.js";
import { parseToolArgs, UsageError } from "./args.js";
import { escapeRisky } from "../../text/safe-text.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The tools folder this bundle sits in (`<tools>/lib/`): the tmux config beside it, for a client that never starts a server. */
const toolsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const sendConfig = join(toolsDir, "tmux", "mosaic.tmux.conf");

interface Io {
  readonly env: Env;
  readonly err: (line: string) => void;
  readonly stdin: () => Promise<string>;
}

const TOOLS: Record<string, (args: readonly string[], io: Io, say: (text: string) => void) => Promise<number>> = {
  "start-agent-session": (args, io, say) => unitSession("start", args, io, say),
  "stop-agent-session": (args, io, say) => unitSession("stop", args, io, say),
  "agent-send": agentSend,
  "send-message": sendMessage,
};

export async function runTool(argv: readonly string[], io: Io): Promise<number> {
  const [tool, ...args] = argv;
  const run = tool === undefined ? undefined : TOOLS[tool];
  if (run === undefined) {
    io.err(`mosaic-session: usage: mosaic-session ${Object.keys(TOOLS).join("|")} ARGS...`);
    return 2;
  }
  // What it says may hold what it was given (a name, a socket): escaped, on one line, and cut short.
  const say = (text: string) => io.err(`${tool}.sh: ${shortened(escapeRisky(text))}`);
  try {
    return await run(args, io, say);
  } catch (err) {
    if (err instanceof UsageError) {
      say(err.message);
      return 2;
    }
    say(`unexpected: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const MAX_MESSAGE_CHARS = 300;

function shortened(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}...`;
}

async function unitSession(verb: "start" | "stop", args: readonly string[], io: Io, say: (text: string) => void): Promise<number> {
  const { positional } = parseToolArgs(args, "", `${verb}-agent-session.sh AGENT [LAUNCH_DIR]`, 1, 2);
  const [session, dir] = positional as [string, string | undefined];
  const bad = sessionNameProblem(session);
  if (bad !== null) throw new UsageError(bad);
  const source = await readLaunchSource(session, launchDirOf(dir, io.env));
  if (source.kind === "missing") {
    // Stopping: mosaic removed the file with the agent, so nothing it started is left to name.
    if (verb === "stop") {
      say(`no launch file ${source.path}; nothing to stop`);
      return 0;
    }
    say(`no launch file ${source.path}; run: mosaic fleet apply`);
    return 1;
  }
  if (source.kind === "refused") {
    say(source.message);
    return 1;
  }
  const tmux = new TmuxClient({ socket: source.file.socket, configPath: source.file.config, env: io.env });
  const r = verb === "start" ? await startFromLaunchFile(tmux, source.file) : await stopFromLaunchFile(tmux, source.file, say);
  if (r.message !== undefined) say(r.message);
  return r.status;
}

/** What both senders share: the socket, the submit settings, and the limits the environment may set. */
function sendSettings(opts: ReadonlyMap<string, string>, env: Env) {
  const socket = opts.get("L") ?? "";
  if (socketNameProblem(socket) !== undefined) throw new UsageError(`-L: not a socket name: '${socket}'`);
  const key = opts.get("k") ?? "Enter";
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(key)) throw new UsageError(`-k: not a tmux key name: '${key}'`);
  const settle = opts.get("s") ?? "200";
  if (!/^[0-9]{1,5}$/.test(settle)) throw new UsageError(`-s: not a number of milliseconds: '${settle}'`);
  const limits = sendLimits(env);
  if ("problem" in limits) throw new UsageError(limits.problem);
  const tmux = new TmuxClient({ socket, configPath: sendConfig, env });
  return { socket, tmux, socketPath: tmuxSocketPath(socket, env, process.getuid?.() ?? 0), key, settleMs: Number(settle), ...limits };
}

async function agentSend(args: readonly string[], io: Io, say: (text: string) => void): Promise<number> {
  const usage = "agent-send.sh -L SOCKET [-S LABEL] [-p PANE] [-k KEY] [-s SETTLE_MS] [--] AGENT TEXT|-";
  const { opts, positional } = parseToolArgs(args, "LSpks", usage, 2, 2);
  const [agent, text] = positional as [string, string];
  const s = sendSettings(opts, io.env);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(agent)) throw new UsageError(`not an agent name: '${agent}'`);
  const expected = opts.get("p") ?? null;
  if (expected !== null && !/^%[0-9]+$/.test(expected)) throw new UsageError(`-p: not a pane id (%N): '${expected}'`);
  const label = opts.get("S") ?? (await senderLabel(s.tmux, s.socketPath, io.env));
  const problem = labelProblem(label);
  if (problem !== null) throw new UsageError(`${problem}; pass one with -S`);
  const prepared = await messageText(text, io, prepareMessage);
  if (!prepared.ok) {
    say(`${prepared.problem}; nothing was sent`);
    return 1;
  }
  return delivering(say, (stopRequested) => sendToAgent({ ...s, agent, expectedPane: expected, label, body: prepared.text, me: toolHolder("agent-send"), stopRequested, warn: (t) => say(`warning: ${t}`) }));
}

async function sendMessage(args: readonly string[], io: Io, say: (text: string) => void): Promise<number> {
  const usage = "send-message.sh -L SOCKET -t PANE [-k KEY] [-s SETTLE_MS] [--] TEXT|-";
  const { opts, positional } = parseToolArgs(args, "Ltks", usage, 1, 1);
  const s = sendSettings(opts, io.env);
  const pane = opts.get("t") ?? "";
  if (!/^%[0-9]+$/.test(pane)) throw new UsageError(`-t: not a pane id (%N): '${pane}'`);
  const checked = await messageText(positional[0]!, io, typeableText);
  if (!checked.ok) {
    say(`${checked.problem}; nothing was sent`);
    return 1;
  }
  return delivering(say, (stopRequested) => typeMessage({ ...s, paneId: pane, text: checked.text, me: toolHolder("send-message"), stopRequested, warn: (t) => say(`warning: ${t}`) }));
}

/** The message, from the argument or standard input (`-`), checked by `check`; not UTF-8 is a problem too. */
async function messageText(arg: string, io: Io, check: (raw: string) => PreparedMessage): Promise<PreparedMessage> {
  const raw = arg === "-" ? await readInput(io) : arg;
  return raw === null ? { ok: false, problem: "standard input: not UTF-8 text" } : check(raw);
}

/** Standard input as text; null when it is not UTF-8. */
async function readInput(io: Io): Promise<string | null> {
  try {
    return await io.stdin();
  } catch (err) {
    if (err instanceof TypeError) return null;
    throw err;
  }
}

/**
 * Runs a send with the stop signals caught: one that comes before the
 * paste ends it with nothing typed (exit 128+N, as a shell reports a
 * process the signal ended); from the paste on, the submit is finished.
 */
async function delivering(say: (text: string) => void, send: (stopRequested: () => boolean) => Promise<TypeOutcome>): Promise<number> {
  let stoppedBy: StopSignal | null = null;
  const r = await catchingStopSignals(
    (_count, signal) => (stoppedBy ??= signal),
    () => send(() => stoppedBy !== null),
  );
  if (r.status === 0) return 0;
  say(r.message);
  return "interrupted" in r && stoppedBy !== null ? signalledStatus(stoppedBy) : r.status;
}

/**
 * Who a message is from when -S is not given: inside a pane of this very
 * fleet (an agent running the tool), `HOST:SESSION` of that pane, else
 * `HOST:operator`. `mosaic agent send` always passes -S.
 */
async function senderLabel(tmux: TmuxClient, socketPath: string, env: Env): Promise<string> {
  const host = hostname();
  const pane = env.TMUX_PANE ?? "";
  if (/^%[0-9]+$/.test(pane) && (env.TMUX ?? "").split(",")[0] === socketPath) {
    const state = await tmux.paneState(pane);
    if (state !== null && state.session !== "") return `${host}:${state.session}`;
  }
  return operatorLabel(host);
}

function toolHolder(tool: string) {
  return { pid: process.pid, command: `${tool}.sh`, since: new Date().toISOString() };
}
