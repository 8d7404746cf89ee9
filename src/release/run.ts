import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runProgram, type ProgramResult } from "../adapters/exec.js";
import { makeDir, makeTempDir, readTextFile, removeTree, writeFileAtomic } from "../adapters/fs.js";
import { installGlobal, pack, packDryRun } from "../adapters/npm.js";
import { TmuxClient } from "../adapters/tmux.js";
import { frameworkPaths } from "../framework.js";
import { observeFleet } from "../observe/observe-fleet.js";
import { packageAssetsCheck, type PreflightCheck } from "./checklist.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface PreflightOptions {
  /** The package to check: the installed mosaic's folder, or a checkout. */
  readonly packageDir: string;
  /** The caller's environment: npm runs in it (its cache, its registry); mosaic never does. */
  readonly env: Env;
  readonly profile: string;
  /** A real agent to send the task to; null: the demo agent. */
  readonly agentCommand: string | null;
  readonly timeoutSeconds: number;
  readonly keep: boolean;
  readonly uid: number;
  readonly progress: (line: string) => void;
}

export interface PreflightReport {
  readonly checks: PreflightCheck[];
  /** Where it all happened, kept with --keep: the scratch home, prefix and tmux folder. */
  readonly scratch: { readonly dir: string; readonly home: string; readonly prefix: string; readonly tmuxTmpdir: string; readonly socket: string; readonly roster: string; readonly kept: boolean };
  /** Whether a real agent was asked (not the demo agent), which one, running what, and whether it answered. */
  readonly dogfood: { readonly real: boolean; readonly agent: string | null; readonly command: string | null; readonly answered: boolean };
  /** Stopped by SIGINT or SIGTERM: the scratch fleet was cleaned up all the same. */
  readonly interrupted: boolean;
}

/**
 * The brief's release preflight, on a scratch socket, a scratch home, a
 * scratch TMUX_TMPDIR and a scratch npm prefix: it never touches the
 * user's fleet, roster or tmux server. Each step runs the mosaic installed
 * from the packed package as a user would, and records what it saw. A step
 * that fails makes the ones that need it "skip".
 */
export async function runPreflight(o: PreflightOptions): Promise<PreflightReport> {
  const dir = await makeTempDir("mosaic-preflight-");
  const home = join(dir, "home");
  const prefix = join(dir, "prefix");
  const tmuxTmpdir = join(dir, "tmux");
  await makeDir(home, 0o700);
  await makeDir(tmuxTmpdir, 0o700);
  const socket = `mosaic-preflight-${process.pid}`;
  const roster = join(home, "preflight-roster.yaml");
  const mosaicBin = join(prefix, "bin", "mosaic");
  // No XDG_RUNTIME_DIR and no bus: the scratch mosaic cannot reach the user's systemd manager.
  const env: Env = { PATH: `${join(prefix, "bin")}:${o.env.PATH ?? "/usr/bin:/bin"}`, HOME: home, TMUX_TMPDIR: tmuxTmpdir, LANG: o.env.LANG ?? "C.UTF-8", NO_COLOR: "1" };
  const tmux = new TmuxClient({ socket, configPath: frameworkPaths.tmuxConfig, env });
  const mosaic = (args: string[], timeoutMs = 120_000): Promise<ProgramResult> => runProgram([mosaicBin, ...args], { env, cwd: home, timeoutMs });
  const checks: PreflightCheck[] = [];
  const pass = (name: string, evidence: string) => checks.push({ name, status: "pass", evidence });
  const fail = (name: string, evidence: string) => checks.push({ name, status: "fail", evidence });
  const step = (name: string) => o.progress(`preflight: ${name}...`);
  const real = o.agentCommand !== null || o.profile !== "demo";
  const dogfood = { real, agent: null as string | null, command: o.agentCommand, answered: false };
  // Ctrl+C (or a TERM) ends the step under way (its processes got the signal too) and skips the rest;
  // the scratch fleet, server and folder are removed all the same.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const stopped = () => {
    if (interrupted) fail("interrupted", "stopped by a signal; the steps after it did not run");
    return interrupted;
  };
  let agents: string[] = [];
  let started = false;

  try {
    step("package");
    const files = await packDryRun(o.packageDir, o.env);
    const assets = files.ok ? packageAssetsCheck(files.value) : { name: "package", status: "fail" as const, evidence: files.problem };
    checks.push(assets);
    if (assets.status === "fail") return done();

    if (stopped()) return done();
    step("install");
    const tarball = await pack(o.packageDir, dir, o.env);
    const installed = tarball.ok ? await installGlobal(tarball.value, prefix, o.env) : tarball;
    if (!installed.ok) return (fail("install", installed.problem), done());
    const version = await mosaic(["--version"]);
    if (version.exitCode !== 0) return (fail("install", `${mosaicBin} --version exited ${version.exitCode}: ${lastLine(version)}`), done());
    pass("install", `mosaic ${version.stdout.trim()} installed from ${tarball.ok ? tarball.value : "?"} into ${prefix}`);

    if (stopped()) return done();
    step("roster");
    const made = await scratchRoster();
    if (!made.ok) return (fail("roster", made.problem), done());
    agents = made.agents;
    pass("roster", `the ${o.profile} profile on socket ${socket}, backend direct, agents ${agents.join(", ")}${o.agentCommand ? `, each running ${o.agentCommand}` : ""}: ${roster}`);

    if (stopped()) return done();
    step("start, restart, stop, start, start");
    const lifecycle = await startRestartStop();
    started = true;
    if (lifecycle.ok) pass("lifecycle", lifecycle.evidence);
    else fail("lifecycle", lifecycle.evidence);

    const defaultSocket = join(tmuxTmpdir, `tmux-${o.uid}`, "default");
    if (existsSync(defaultSocket)) fail("default tmux server", `a default server socket appeared at ${defaultSocket}: something addressed the default server`);
    else pass("default tmux server", `untouched: no default socket was ever created under the scratch TMUX_TMPDIR (${join(tmuxTmpdir, `tmux-${o.uid}`)} holds only ${socket})`);
    if (!lifecycle.ok) return done();

    if (stopped()) return done();
    step("verify");
    const verify = await mosaic(["fleet", "verify", "--roster", roster]);
    const present = await Promise.all(["_holder", ...agents].map(async (n) => [n, await tmux.hasSession(n)] as const));
    const absent = present.filter(([, ok]) => !ok).map(([n]) => n);
    const exact = present.map(([n, ok]) => `has-session -t =${n}: ${ok ? "yes" : "no"}`).join("; ");
    if (verify.exitCode === 0 && absent.length === 0) pass("verify", `mosaic fleet verify exit 0; tmux -L ${socket} ${exact}`);
    else fail("verify", `mosaic fleet verify exit ${verify.exitCode} (${lastLine(verify)}); ${exact}`);

    if (stopped()) return done();
    step("message");
    const message = await sendTask(agents[0]!);
    if (message.ok) pass("message", message.evidence);
    else fail("message", message.evidence);

    if (stopped()) return done();
    step("update");
    const update = await updateKeepsRoster();
    if (update.ok) pass("update", update.evidence);
    else fail("update", update.evidence);
    return done();
  } catch (err) {
    fail("preflight", `stopped by an unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return done();
  } finally {
    if (!o.keep) {
      if (started) await mosaic(["fleet", "stop", "--roster", roster]).catch(() => undefined);
      await tmux.killServer().catch(() => undefined);
      await removeTree(dir);
    }
    // Only now: a second Ctrl+C during the clean-up must not cut it short.
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  function done(): PreflightReport {
    if (interrupted && !checks.some((c) => c.name === "interrupted")) stopped();
    const ran = new Set(checks.map((c) => c.name));
    for (const name of ["package", "install", "roster", "lifecycle", "default tmux server", "verify", "message", "update"]) {
      if (!ran.has(name)) checks.push({ name, status: "skip", evidence: "not run: a step it needs failed" });
    }
    return { checks, scratch: { dir, home, prefix, tmuxTmpdir, socket, roster, kept: o.keep }, dogfood, interrupted };
  }

  /** The profile as the installed mosaic writes it, on the scratch socket, run directly; with --agent-command, running that. */
  async function scratchRoster(): Promise<{ ok: true; agents: string[] } | { ok: false; problem: string }> {
    const init = await mosaic(["fleet", "init", "--profile", o.profile, "--write", "--roster", roster]);
    if (init.exitCode !== 0) return { ok: false, problem: `mosaic fleet init --profile ${o.profile} exited ${init.exitCode}: ${lastLine(init)}` };
    const { scratchRosterText } = await import("./scratch-roster.js");
    const scratch = scratchRosterText(await readTextFile(roster, 1 << 20), { socket, agentCommand: o.agentCommand });
    const names = scratch.agents;
    if (names.length === 0) return { ok: false, problem: `the ${o.profile} profile has no agents` };
    await writeFileAtomic(roster, scratch.text);
    return { ok: true, agents: names };
  }

  async function pids(): Promise<Record<string, number | null>> {
    const seen = await observeFleet(tmux);
    return Object.fromEntries(seen.sessions.map((s) => [s.name, s.pane?.pid ?? null]));
  }

  async function startRestartStop(): Promise<{ ok: boolean; evidence: string }> {
    const said: string[] = [];
    const run = async (args: string[]) => {
      const r = await mosaic([...args, "--roster", roster]);
      if (r.exitCode !== 0) throw new StepFailed(`mosaic ${args.join(" ")} exited ${r.exitCode}: ${lastLine(r)}`);
      return r;
    };
    const show = (p: Record<string, number | null>) => Object.entries(p).map(([n, pid]) => `${n}=${pid ?? "?"}`).join(" ");
    try {
      await run(["fleet", "start"]);
      const first = await pids();
      said.push(`start: ${show(first)}`);
      if (agents.some((a) => first[a] == null)) throw new StepFailed(`after start, no live pane for ${agents.filter((a) => first[a] == null).join(", ")}`);
      await run(["fleet", "restart"]);
      const second = await pids();
      const kept = agents.filter((a) => second[a] === first[a]);
      if (kept.length > 0) throw new StepFailed(`restart left ${kept.join(", ")} with the same pid`);
      if (second._holder !== first._holder) throw new StepFailed("restart replaced the holder, which it must keep");
      said.push(`restart: ${show(second)} (every agent new, holder kept)`);
      await run(["fleet", "stop"]);
      const after = await pids();
      if (Object.keys(after).length > 0) throw new StepFailed(`stop left sessions: ${Object.keys(after).join(", ")}`);
      said.push("stop: no sessions left");
      await run(["fleet", "start"]);
      const third = await pids();
      const again = await run(["fleet", "start"]);
      const fourth = await pids();
      if (!again.stdout.includes("No changes.")) throw new StepFailed("a repeated start planned changes");
      if (show(third) !== show(fourth)) throw new StepFailed(`a repeated start changed pids: ${show(third)} -> ${show(fourth)}`);
      said.push(`start: ${show(third)}; start again: "No changes.", pids kept`);
      return { ok: true, evidence: said.join("; ") };
    } catch (err) {
      if (!(err instanceof StepFailed)) throw err;
      return { ok: false, evidence: [...said, err.message].join("; ") };
    }
  }

  /** A task through `agent send`, and the line of the pane that answers it. */
  async function sendTask(agent: string): Promise<{ ok: boolean; evidence: string }> {
    dogfood.agent = agent;
    const nonce = randomBytes(4).toString("hex");
    // A real agent is asked for a product of two random numbers: an answer it can only give by reading the task.
    const [a, b] = [10 + randomInt(90), 10 + randomInt(90)];
    const [text, answer] = !real
      ? [`preflight check ${nonce}`, `received: .*preflight check ${nonce}`]
      : [`Preflight check ${nonce}: reply with PREFLIGHT- followed by the product of ${a} and ${b}, as digits, and nothing else.`, `PREFLIGHT-${a * b}\\b`];
    const r = await mosaic(["agent", "send", agent, "--message", text, "--wait-for", answer, "--timeout", String(o.timeoutSeconds), "--roster", roster], (o.timeoutSeconds + 60) * 1000);
    const line = r.stdout.trim().split("\n").at(-1) ?? "";
    dogfood.answered = r.exitCode === 0;
    if (r.exitCode === 0) return { ok: true, evidence: `agent send ${agent} "${text}"; the pane answered: ${line}` };
    const tail = await mosaic(["agent", "tail", agent, "-n", "5", "--roster", roster]);
    return { ok: false, evidence: `agent send ${agent} exited ${r.exitCode} (${lastLine(r)}); the pane's last lines: ${tail.stdout.trim().split("\n").join(" | ")}` };
  }

  /** `mosaic update` after install-systemd, with a site roster in the scratch home: the roster is the same bytes after. */
  async function updateKeepsRoster(): Promise<{ ok: boolean; evidence: string }> {
    const site = join(home, ".config", "mosaic", "fleet", "roster.yaml");
    const init = await mosaic(["fleet", "init", "--profile", o.profile, "--write"]);
    if (init.exitCode !== 0) return { ok: false, evidence: `mosaic fleet init --write exited ${init.exitCode}: ${lastLine(init)}` };
    const before = sha256(await readTextFile(site, 1 << 20));
    const install = await mosaic(["fleet", "install-systemd"]);
    if (install.exitCode !== 0) return { ok: false, evidence: `mosaic fleet install-systemd exited ${install.exitCode}: ${lastLine(install)}` };
    const update = await mosaic(["update"]);
    const after = existsSync(site) ? sha256(await readTextFile(site, 1 << 20)) : "(gone)";
    const evidence = `site roster ${site}: ${before} before mosaic update, ${after} after; mosaic update exit ${update.exitCode}`;
    return { ok: update.exitCode === 0 && before === after, evidence };
  }
}

class StepFailed extends Error {}

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
