import { jsonDocument } from "../../formats.js";
import { hostname } from "node:os";
import { Option } from "clipanion";
import { isErrno, readFileBytes } from "../../adapters/fs.js";
import { catchingStopSignals, sleep } from "../../adapters/processes.js";
import { tmuxSocketPath, type TmuxClient } from "../../adapters/tmux.js";
import { UserError } from "../../errors.js";
import { framed, labelProblem, MAX_MESSAGE_BYTES, operatorLabel, prepareMessage } from "../../message/frame.js";
import { firstMatch, lastLines, newLines, paneLines, withoutEcho } from "../../message/pane-text.js";
import { escapeRisky } from "../../text/safe-text.js";
import { sendLimits } from "../../session/send-limits.js";
import { sendToAgent } from "../../session/send.js";
import { parseSeconds } from "../option-values.js";
import { TmuxCommand } from "../tmux-command.js";
import { AGENT_NAME, type AgentPane } from "../../message/target.js";
import type { DesiredFleet } from "../../roster/types.js";

/** Text in UTF-8, or an error: a byte that is not would reach the agent as U+FFFD, not as sent. */
function utf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${source}: not UTF-8 text; nothing was sent`);
  }
}

/** Rows of scrollback read to look for an answer: far more than one answer scrolls by between two looks. */
const ANSWER_WINDOW_ROWS = 1000;
const POLL_MS = 200;
/**
 * `via` in the JSON document, kept so no reader of format 1.0 loses a
 * field: it named the agent-send.sh that typed the message, and mosaic now
 * types it with the same code itself.
 */
const SENT_VIA = "mosaic";

export default class AgentSendCommand extends TmuxCommand {
  static override paths = [["agent", "send"]];

  static override usage = TmuxCommand.Usage({
    category: "Agents",
    description: "Type a message into an agent's pane and submit it",
    details: [
      "Delivers the message literally, exactly once, into the agent's own pane (never a pane split off it), then presses the agent's submit key (`submit.key`, after `submit.settle_ms`), as the fleet's `agent-send.sh` does. The agent receives `[from LABEL] MESSAGE`; LABEL is `HOST:operator` unless `--source-label` says otherwise, whoever runs the command, even from inside an agent's pane.",
      "The message may hold any text, several lines and tabs included; trailing newlines are dropped, and other control characters are refused, as is a line starting with `[from ` (it would read as a header). It goes to the tools on standard input, never on a command line. The argument after `-m`/`--message` is the message whatever it starts with: `-m \"- fix the tests\"` sends a markdown list item.",
      "To several agents (their names, or `--all` for every enabled agent of the roster) the message goes to each once, one after another. Every agent is checked first: if any cannot take it (not running, not in the roster), nothing is sent to any. With `--json` the document then holds `results`, one entry per agent.",
      "With `--wait-for`, waits until the pane shows a line matching the regular expression that it did not show before the message, and prints it: a script's way to wait for the answer.",
      "Exit status: 0 delivered; 1 an error, which says whether the message was sent (nothing is sent when the input, the label or the agent is refused); 3 the message was typed into the pane but the agent was not seen to take it.",
    ].join("\n\n"),
    examples: [
      ["Ask canary-pi for its status", "$0 agent send canary-pi --message \"status check\""],
      ["Send a file's contents", "$0 agent send canary-pi --file task.md"],
      ["Send standard input", "git diff | $0 agent send canary-pi -"],
      ["Send to two agents", "$0 agent send canary-pi canary-claude --message \"rebase on main\""],
      ["Send to every enabled agent", "$0 agent send --all --message \"stop and commit your work\""],
      ["Send as a handoff lane, not the operator", "$0 agent send canary-pi --source-label planner:handoff --message \"take task 12\""],
      ["Wait up to 2 minutes for an answer", "$0 agent send canary-pi --message \"status check\" --wait-for 'ANSWER|done' --timeout 120"],
    ],
  });

  targets = Option.Rest({ name: "NAME" });
  all = Option.Boolean("--all", false, { description: "Send to every enabled agent of the roster" });
  message = Option.String("--message,-m", { description: "The message text" });
  file = Option.String("--file", { description: "Send the contents of this file" });
  source = Option.String("--source-label,--source", { description: "Who the message says it is from, instead of HOST:operator (deliberately speaking as a known handoff lane)" });
  waitFor = Option.String("--wait-for", { description: "After delivery, wait for a new line of the pane matching this regular expression, and print it" });
  timeout = Option.String("--timeout", "60", { description: "Seconds --wait-for waits before giving up (default 60)" });
  json = Option.Boolean("--json", false, { description: "Print the outcome as JSON" });

  private answerPattern: RegExp | null = null;
  /** The agents named (the positional arguments but a last `-`), and whether the message comes on standard input. */
  private names: string[] = [];
  private stdinMessage = false;
  /** The one agent of a send to one. */
  private name = "";

  protected override checkOptions(): void {
    this.stdinMessage = this.targets.at(-1) === "-";
    this.names = this.stdinMessage ? this.targets.slice(0, -1) : [...this.targets];
    // The first is the agent, whatever it is (a bad name is refused as one); a later word that is no name is a stray argument.
    const stray = this.names.slice(1).find((n) => !AGENT_NAME.test(n));
    if (stray !== undefined) throw new UserError(`unexpected argument ${JSON.stringify(stray)}: give the message with --message TEXT, --file FILE or - (standard input)`);
    if (this.all && this.names.length > 0) throw new UserError("give agent names or --all, not both; nothing was sent");
    if (!this.all && this.names.length === 0) throw new UserError("no agent named; nothing was sent", ["Name one or more agents, or use --all for every enabled agent."]);
    this.name = this.names[0] ?? "";
    if (this.waitFor !== undefined && (this.all || this.names.length > 1)) throw new UserError("--wait-for waits for one agent's answer: send to one agent to use it; nothing was sent");
    const sources = [this.message !== undefined, this.file !== undefined, this.stdinMessage].filter(Boolean).length;
    if (sources !== 1) {
      throw new UserError(sources === 0 ? "no message given; nothing was sent" : "give the message one way only; nothing was sent", ["Use one of --message TEXT, --file FILE or - (standard input)."]);
    }
    if (this.source !== undefined) {
      const problem = labelProblem(this.source);
      if (problem !== null) throw new UserError(`--source-label: ${problem}; nothing was sent`);
    }
    parseSeconds("--timeout", this.timeout);
    if (this.waitFor !== undefined) {
      try {
        this.answerPattern = new RegExp(this.waitFor);
      } catch (err) {
        throw new UserError(`--wait-for: not a regular expression: ${err instanceof Error ? err.message : String(err)}; nothing was sent`);
      }
    }
  }

  protected async run(): Promise<number> {
    const desired = await this.loadDesired();
    const label = this.source ?? operatorLabel(hostname());
    const problem = labelProblem(label);
    if (problem !== null) throw new UserError(`this host's name makes no source label: ${problem}; nothing was sent`, ["Pass one with --source-label LABEL."]);
    const prepared = prepareMessage(await this.readMessage());
    if (!prepared.ok) throw new UserError(`${this.messageSource()}: ${prepared.problem}; nothing was sent`);
    if (this.all || this.names.length > 1) return this.sendToSeveral(desired, label, prepared.text);

    const tmux = this.tmuxFor(desired.socket);
    const { pane, agent } = await this.agentTarget(desired, this.name, "send");
    const before = this.answerPattern === null ? [] : paneLines((await tmux.capturePane(pane.id, ANSWER_WINDOW_ROWS)) ?? "");

    // Ctrl+C, a TERM or a hangup: before the text is typed, nothing is sent; once it is, its submit is
    // finished (a half-typed message would be glued to the next), and this says how it ended, then
    // exits 130. A second signal ends mosaic at once; a message left typed is then submitted on its
    // own by the next send to this agent.
    const limits = sendLimits(this.env);
    if ("problem" in limits) throw new UserError(`${limits.problem}; nothing was sent`);
    let interrupted = false;
    const warnings: string[] = [];
    const onSignal = (count: number) => {
      if (count > 1) process.exit(130);
      interrupted = true;
      this.printErr(`\n${this.errStyle.yellow("Interrupted:")} finishing the message being typed...`);
    };
    const sent = await catchingStopSignals(onSignal, () =>
      sendToAgent({ ...this.delivery(desired, tmux, { pane, agent }, limits), label, body: prepared.text, stopRequested: () => interrupted, warn: (t) => warnings.push(t) }),
    );
    if (sent.status === 3) {
      this.printErr(`${this.errStyle.red("error:")} the message was typed into ${this.name}'s pane ${pane.id}, but not confirmed: ${sent.message}`);
      return 3;
    }
    if (sent.status !== 0 && interrupted) {
      if (this.json) this.printJson(jsonDocument("error", { error: { message: sent.message, hints: [] }, interrupted: true }));
      this.printErr(`${this.errStyle.red("error:")} ${sent.message}`);
      return 130;
    }
    if (sent.status !== 0) throw new UserError(sent.message);
    // Delivered, with something to say (a cut-off message submitted first).
    for (const line of warnings) this.printErr(`${this.errStyle.yellow("warning:")} ${escapeRisky(line)}`);
    if (interrupted) {
      // Sent, then stopped: no wait for an answer.
      if (this.json) this.printJson(jsonDocument("agent-send", { agent: this.name, pane: pane.id, label, sent: framed(label, prepared.text), via: SENT_VIA, answer: null, interrupted: true }));
      else this.print(`Sent to ${this.name} (pane ${pane.id}) as ${label}, then stopped as asked.`);
      return 130;
    }

    const match = this.answerPattern === null ? null : await this.waitForAnswer(tmux, pane.id, before, framed(label, prepared.text), this.answerPattern);
    if (this.json) {
      this.printJson(jsonDocument("agent-send", { agent: this.name, pane: pane.id, label, sent: framed(label, prepared.text), via: SENT_VIA, answer: match?.line ?? null, interrupted: false }));
    } else {
      const first = prepared.text.split("\n")[0]!;
      this.print(`Sent to ${this.name} (pane ${pane.id}) as ${label}: ${escapeRisky(first.length > 60 ? `${first.slice(0, 60)}...` : first)}`);
      if (match?.line != null) this.print(escapeRisky(match.line));
    }
    if (match !== null && match.line === null) {
      const tail = lastLines(match.lines, 20).map((l) => `  | ${escapeRisky(l)}`);
      this.printErr(`${this.errStyle.red("error:")} no new line of ${this.name}'s pane matched /${this.waitFor}/ within ${this.timeout}s; its last lines:\n${tail.join("\n")}`);
      return 1;
    }
    return 0;
  }

  /**
   * The same message to several agents (`--all`, or several names), one
   * after another, each under its own send lock. Every agent is checked
   * first, from one look at the fleet: if any cannot take it, nothing is
   * sent. An interruption lets the message being typed finish and sends no
   * more; the output says who got it.
   */
  private async sendToSeveral(desired: DesiredFleet, label: string, body: string): Promise<number> {
    const names = this.all ? desired.agents.filter((a) => a.enabled).map((a) => a.name) : [...new Set(this.names)];
    if (names.length === 0) throw new UserError(`the roster ${desired.rosterPath} enables no agent; nothing was sent`);
    const tmux = this.tmuxFor(desired.socket);
    const targets = await this.agentTargets(desired, names, "send");
    const limits = sendLimits(this.env);
    if ("problem" in limits) throw new UserError(`${limits.problem}; nothing was sent`);
    let interrupted = false;
    const onSignal = (count: number) => {
      if (count > 1) process.exit(130);
      interrupted = true;
      this.printErr(`\n${this.errStyle.yellow("Interrupted:")} finishing the message being typed, sending no more...`);
    };
    const results: { agent: string; pane: string; sent: boolean; error: string | null; warnings: string[] }[] = [];
    await catchingStopSignals(onSignal, async () => {
      for (const { pane, agent } of targets) {
        if (interrupted) break;
        const warnings: string[] = [];
        const sent = await sendToAgent({ ...this.delivery(desired, tmux, { pane, agent }, limits), label, body, stopRequested: () => interrupted, warn: (t) => warnings.push(t) });
        results.push({ agent: agent!.name, pane: pane.id, sent: sent.status === 0, error: sent.status === 0 ? null : sent.message, warnings });
      }
    });
    const unsent = targets.slice(results.length).map((t) => t.agent!.name);
    if (this.json) {
      const rows = results.map((r) => ({ agent: r.agent, pane: r.pane, label, sent: r.sent ? framed(label, body) : null, via: SENT_VIA, answer: null, interrupted, error: r.error }));
      this.printJson(jsonDocument("agent-send", { results: [...rows, ...unsent.map((agent) => ({ agent, pane: null, label, sent: null, via: SENT_VIA, answer: null, interrupted, error: "not sent: interrupted before its turn" }))] }));
    } else {
      for (const r of results) {
        for (const line of r.warnings) this.printErr(`${this.errStyle.yellow("warning:")} ${r.agent}: ${escapeRisky(line)}`);
        if (r.sent) this.print(`Sent to ${r.agent} (pane ${r.pane}) as ${label}`);
        else this.printErr(`${this.errStyle.red("error:")} ${r.agent}: ${escapeRisky(r.error ?? "")}`);
      }
      if (unsent.length > 0) this.printErr(`Not sent, as asked: ${unsent.join(", ")}.`);
    }
    if (interrupted) return 130;
    return results.every((r) => r.sent) ? 0 : 1;
  }

  /** Where and how a message is typed into one agent's pane: the same for a send to one and to several. */
  private delivery(desired: DesiredFleet, tmux: TmuxClient, { pane, agent }: Pick<AgentPane, "pane" | "agent">, limits: Exclude<ReturnType<typeof sendLimits>, { problem: string }>) {
    return {
      tmux,
      socketPath: tmuxSocketPath(desired.socket, this.env, this.uid),
      agent: agent!.name,
      expectedPane: pane.id,
      key: agent!.submit.key,
      settleMs: agent!.submit.settleMs,
      ...limits,
      me: { pid: process.pid, command: "mosaic agent send", since: new Date().toISOString() },
    };
  }

  private messageSource(): string {
    return this.message !== undefined ? "--message" : this.file !== undefined ? `--file ${this.file}` : "standard input";
  }

  private async readMessage(): Promise<string> {
    if (this.message !== undefined) return this.message;
    if (this.file !== undefined) {
      try {
        return utf8(await readFileBytes(this.absolutePath(this.file, "--file"), MAX_MESSAGE_BYTES), `--file ${this.file}`);
      } catch (err) {
        if (err instanceof UserError) throw err;
        const what = isErrno(err, "ENOENT")
          ? "no such file"
          : isErrno(err, "EISDIR")
            ? "is a folder"
            : isErrno(err, "ENOTREG")
              ? "is not a regular file (a FIFO, a device, a socket); to send what a command prints, pipe it: COMMAND | mosaic agent send NAME -"
              : isErrno(err, "EFBIG") ? `larger than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB` : err instanceof Error ? err.message : String(err);
        throw new UserError(`--file ${this.file}: ${what}; nothing was sent`);
      }
    }
    const stdin = this.context.stdin as NodeJS.ReadStream;
    if (stdin.isTTY) this.printErr("Type the message, then Ctrl+D on a line of its own.");
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (size > MAX_MESSAGE_BYTES) throw new UserError(`standard input: the message is over ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB; nothing was sent`);
      chunks.push(b);
    }
    return utf8(Buffer.concat(chunks), "standard input");
  }

  /** The first new line matching `pattern` (null: none in time), and the pane's lines at the end. */
  private async waitForAnswer(tmux: TmuxClient, paneId: string, before: readonly string[], sent: string, pattern: RegExp): Promise<{ line: string | null; lines: string[] }> {
    const deadline = Date.now() + parseSeconds("--timeout", this.timeout) * 1000;
    let lines: string[] = [];
    for (;;) {
      const captured = await tmux.capturePane(paneId, ANSWER_WINDOW_ROWS);
      if (captured === null) throw new UserError(`${this.name}'s pane ${paneId} went away while waiting for an answer`);
      lines = paneLines(captured);
      const found = firstMatch(pattern, withoutEcho(newLines(before, lines), sent), Math.max(deadline - Date.now(), 50));
      if (found.kind === "match") return { line: found.line, lines };
      if (found.kind === "too-slow") throw new UserError(`--wait-for: /${pattern.source}/ took too long to test against ${this.name}'s pane; the message was sent`, ["Use a simpler pattern: nested repeats like (a+)+ can take forever."]);
      if (Date.now() >= deadline) return { line: null, lines };
      await sleep(POLL_MS);
    }
  }
}
