import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ProgramResult } from "../adapters/exec.js";
import { readTextFile, writeFileAtomic } from "../adapters/fs.js";
import { installGlobal, pack, packDryRun } from "../adapters/npm.js";
import type { TmuxClient } from "../adapters/tmux.js";
import { observeFleet } from "../observe/observe-fleet.js";
import { packageAssetsCheck, type PreflightStage, type StageOutcome } from "./checklist.js";
import type { Scratch } from "./scratch.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What every stage works with; `agents` and `dogfood` are filled in as the stages go. */
export interface StageContext {
  /** The package to check, and the caller's environment npm runs in (its cache, its registry). */
  readonly packageDir: string;
  readonly npmEnv: Env;
  readonly profile: string;
  readonly agentCommand: string | null;
  readonly timeoutSeconds: number;
  readonly uid: number;
  readonly scratch: Scratch;
  readonly tmux: TmuxClient;
  /** Aborted when the preflight is asked to stop: the program a stage runs is ended with it. */
  readonly cancel: AbortSignal;
  /** The installed mosaic, in the scratch environment. */
  readonly mosaic: (args: string[], timeoutMs?: number) => Promise<ProgramResult>;
  agents: string[];
  readonly dogfood: { real: boolean; agent: string | null; command: string | null; answered: boolean };
}

const pass = (evidence: string): StageOutcome => ({ status: "pass", evidence });
const fail = (evidence: string): StageOutcome => ({ status: "fail", evidence });

/** One body per stage; the type makes a new stage in PREFLIGHT_STAGES fail the build until it has one. */
export const STAGE_BODIES: { readonly [S in PreflightStage]: (c: StageContext) => Promise<StageOutcome> } = {
  package: async (c) => {
    const files = await packDryRun(c.packageDir, c.npmEnv, c.cancel);
    return files.ok ? packageAssetsCheck(files.value) : fail(files.problem);
  },

  install: async (c) => {
    const { dir, prefix, mosaicBin } = c.scratch;
    const tarball = await pack(c.packageDir, dir, c.npmEnv, c.cancel);
    const installed = tarball.ok ? await installGlobal(tarball.value, prefix, c.npmEnv, c.cancel) : tarball;
    if (!installed.ok) return fail(installed.problem);
    const version = await c.mosaic(["--version"]);
    if (version.exitCode !== 0) return fail(`${mosaicBin} --version exited ${version.exitCode}: ${lastLine(version)}`);
    return pass(`mosaic ${version.stdout.trim()} installed from ${tarball.ok ? tarball.value : "?"} into ${prefix}`);
  },

  /** The profile as the installed mosaic writes it, on the scratch socket, run directly; with --agent-command, running that. */
  roster: async (c) => {
    const { roster, socket } = c.scratch;
    const init = await c.mosaic(["fleet", "init", "--profile", c.profile, "--write", "--roster", roster]);
    if (init.exitCode !== 0) return fail(`mosaic fleet init --profile ${c.profile} exited ${init.exitCode}: ${lastLine(init)}`);
    const { scratchRosterText } = await import("./scratch-roster.js");
    const scratch = scratchRosterText(await readTextFile(roster, 1 << 20), { socket, agentCommand: c.agentCommand });
    if (scratch.agents.length === 0) return fail(`the ${c.profile} profile has no agents`);
    await writeFileAtomic(roster, scratch.text);
    c.agents = scratch.agents;
    return pass(`the ${c.profile} profile on socket ${socket}, backend direct, agents ${c.agents.join(", ")}${c.agentCommand ? `, each running ${c.agentCommand}` : ""}: ${roster}`);
  },

  lifecycle: (c) => startRestartStop(c),

  "default tmux server": async (c) => {
    const { tmuxTmpdir, socket } = c.scratch;
    const defaultSocket = join(tmuxTmpdir, `tmux-${c.uid}`, "default");
    if (existsSync(defaultSocket)) return fail(`a default server socket appeared at ${defaultSocket}: something addressed the default server`);
    return pass(`untouched: no default socket was ever created under the scratch TMUX_TMPDIR (${join(tmuxTmpdir, `tmux-${c.uid}`)} holds only ${socket})`);
  },

  verify: async (c) => {
    const verify = await c.mosaic(["fleet", "verify", "--roster", c.scratch.roster]);
    const present = await Promise.all(["_holder", ...c.agents].map(async (n) => [n, await c.tmux.hasSession(n)] as const));
    const absent = present.filter(([, ok]) => !ok).map(([n]) => n);
    const exact = present.map(([n, ok]) => `has-session -t =${n}: ${ok ? "yes" : "no"}`).join("; ");
    if (verify.exitCode === 0 && absent.length === 0) return pass(`mosaic fleet verify exit 0; tmux -L ${c.scratch.socket} ${exact}`);
    return fail(`mosaic fleet verify exit ${verify.exitCode} (${lastLine(verify)}); ${exact}`);
  },

  message: (c) => sendTask(c, c.agents[0]!),

  update: (c) => updateKeepsRoster(c),
};

class StepFailed extends Error {}

async function pids(c: StageContext): Promise<Record<string, number | null>> {
  const seen = await observeFleet(c.tmux);
  return Object.fromEntries(seen.sessions.map((s) => [s.name, s.pane?.pid ?? null]));
}

async function startRestartStop(c: StageContext): Promise<StageOutcome> {
  const said: string[] = [];
  const run = async (args: string[]) => {
    const r = await c.mosaic([...args, "--roster", c.scratch.roster]);
    if (r.exitCode !== 0) throw new StepFailed(`mosaic ${args.join(" ")} exited ${r.exitCode}: ${lastLine(r)}`);
    return r;
  };
  const show = (p: Record<string, number | null>) => Object.entries(p).map(([n, pid]) => `${n}=${pid ?? "?"}`).join(" ");
  const { agents } = c;
  try {
    await run(["fleet", "start"]);
    const first = await pids(c);
    said.push(`start: ${show(first)}`);
    if (agents.some((a) => first[a] == null)) throw new StepFailed(`after start, no live pane for ${agents.filter((a) => first[a] == null).join(", ")}`);
    await run(["fleet", "restart"]);
    const second = await pids(c);
    const kept = agents.filter((a) => second[a] === first[a]);
    if (kept.length > 0) throw new StepFailed(`restart left ${kept.join(", ")} with the same pid`);
    if (second._holder !== first._holder) throw new StepFailed("restart replaced the holder, which it must keep");
    said.push(`restart: ${show(second)} (every agent new, holder kept)`);
    await run(["fleet", "stop"]);
    const after = await pids(c);
    if (Object.keys(after).length > 0) throw new StepFailed(`stop left sessions: ${Object.keys(after).join(", ")}`);
    said.push("stop: no sessions left");
    await run(["fleet", "start"]);
    const third = await pids(c);
    const again = await run(["fleet", "start"]);
    const fourth = await pids(c);
    if (!again.stdout.includes("No changes.")) throw new StepFailed("a repeated start planned changes");
    if (show(third) !== show(fourth)) throw new StepFailed(`a repeated start changed pids: ${show(third)} -> ${show(fourth)}`);
    said.push(`start: ${show(third)}; start again: "No changes.", pids kept`);
    return pass(said.join("; "));
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    return fail([...said, err.message].join("; "));
  }
}

/** A task through `agent send`, and the line of the pane that answers it. */
async function sendTask(c: StageContext, agent: string): Promise<StageOutcome> {
  const { roster } = c.scratch;
  c.dogfood.agent = agent;
  const nonce = randomBytes(4).toString("hex");
  // A real agent is asked for a product of two random numbers: an answer it can only give by reading the task.
  const [a, b] = [10 + randomInt(90), 10 + randomInt(90)];
  const [text, answer] = !c.dogfood.real
    ? [`preflight check ${nonce}`, `received: .*preflight check ${nonce}`]
    : [`Preflight check ${nonce}: reply with PREFLIGHT- followed by the product of ${a} and ${b}, as digits, and nothing else.`, `PREFLIGHT-${a * b}\\b`];
  const r = await c.mosaic(["agent", "send", agent, "--message", text, "--wait-for", answer, "--timeout", String(c.timeoutSeconds), "--roster", roster], (c.timeoutSeconds + 60) * 1000);
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  c.dogfood.answered = r.exitCode === 0;
  if (r.exitCode === 0) return pass(`agent send ${agent} "${text}"; the pane answered: ${line}`);
  const tail = await c.mosaic(["agent", "tail", agent, "-n", "5", "--roster", roster]);
  return fail(`agent send ${agent} exited ${r.exitCode} (${lastLine(r)}); the pane's last lines: ${tail.stdout.trim().split("\n").join(" | ")}`);
}

/** `mosaic update` after install-systemd, with a site roster in the scratch home: the roster is the same bytes after. */
async function updateKeepsRoster(c: StageContext): Promise<StageOutcome> {
  const site = join(c.scratch.home, ".config", "mosaic", "fleet", "roster.yaml");
  const init = await c.mosaic(["fleet", "init", "--profile", c.profile, "--write"]);
  if (init.exitCode !== 0) return fail(`mosaic fleet init --write exited ${init.exitCode}: ${lastLine(init)}`);
  const before = sha256(await readTextFile(site, 1 << 20));
  const install = await c.mosaic(["fleet", "install-systemd"]);
  if (install.exitCode !== 0) return fail(`mosaic fleet install-systemd exited ${install.exitCode}: ${lastLine(install)}`);
  const update = await c.mosaic(["update"]);
  const after = existsSync(site) ? sha256(await readTextFile(site, 1 << 20)) : "(gone)";
  const evidence = `site roster ${site}: ${before} before mosaic update, ${after} after; mosaic update exit ${update.exitCode}`;
  return update.exitCode === 0 && before === after ? pass(evidence) : fail(evidence);
}

function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
}

/** The last line a failed command printed, for evidence. */
function lastLine(r: ProgramResult): string {
  if (r.notStarted !== null) return r.notStarted;
  // A plan's own errors are in its output, above the line that says there are some.
  const errors = r.stdout.split("\n").filter((l) => l.startsWith("Error: "));
  const last = (r.stderr.trim() || r.stdout.trim()).split("\n").at(-1) ?? "";
  return [...errors, last].join(" / ");
}
