// What every benchmark needs: a private world (HOME, TMUX_TMPDIR, a tmux
// and systemctl earlier on PATH that log each call), a timer that also reads
// peak memory, and the statistics of several runs.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A scratch folder with its own HOME and TMUX_TMPDIR, and logging wrappers of tmux and systemctl. */
export function makeWorld() {
  const work = mkdtempSync(join(tmpdir(), "mosaic-bench-"));
  const tmuxDir = join(work, "tmux");
  mkdirSync(tmuxDir, { mode: 0o700 });
  const wrapDir = join(work, "bin");
  mkdirSync(wrapDir);
  const callLog = join(work, "calls.log");
  for (const tool of ["tmux", "systemctl"]) {
    const real = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
    if (real === "") continue;
    // One line per call: the tool, then its arguments separated by US (0x1f); the bench's values hold no control characters.
    // Commands a call reads from stdin (`source-file -`, how mosaic sends launches) are kept in a file of their own, named last as `<FILE`.
    const keepStdin = `stdin=''\neval "last=\\\${$#}"\nif [ "$last" = - ]; then stdin='${callLog}.stdin.'$$; cat > "$stdin"; exec < "$stdin"; fi\n`;
    const logStdin = `[ -z "$stdin" ] || printf '\\037<%s' "$stdin"; `;
    writeFileSync(join(wrapDir, tool), `#!/bin/sh\n${keepStdin}{ printf '${tool}'; printf '\\037%s' "$@"; ${logStdin}printf '\\n'; } >> '${callLog}'\nexec '${real}' "$@"\n`);
    chmodSync(join(wrapDir, tool), 0o755);
  }
  const env = { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, "config"), XDG_STATE_HOME: join(work, "state"), TMUX_TMPDIR: tmuxDir, NO_COLOR: "1" };
  delete env.TMUX;
  delete env.TMUX_PANE;
  const countingEnv = { ...env, PATH: `${wrapDir}:${process.env.PATH}` };
  return { work, tmuxDir, env, countingEnv, callLog };
}

/** The calls logged since `clear()`, each as [tool, ...args]. */
export function calls(world) {
  if (!existsSync(world.callLog)) return [];
  return readFileSync(world.callLog, "utf8").split("\n").filter(Boolean).map((line) => line.split("\x1f"));
}
export const clearCalls = (world) => writeFileSync(world.callLog, "");

/** Wall seconds and peak MiB of one command, run to its end; it must succeed unless `mayFail`. */
export function timed(argv, opts) {
  // /usr/bin/time for the peak memory; the wall time from our own clock, finer than its 10 ms.
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...argv], { env: opts.env, encoding: "utf8", input: "", maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && !opts.mayFail) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const m = /(\d+)\s*$/.exec(r.stderr);
  return { seconds, peakMiB: Number(m?.[1] ?? NaN) / 1024 };
}

export const run = (argv, env) => spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", maxBuffer: 1 << 28 });

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `runs` measurements of `measure()`, each after `prepare()`: median, minimum, maximum, peak memory. */
export function sample(runs, prepare, measure) {
  const seconds = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    prepare?.();
    const t = measure();
    seconds.push(t.seconds);
    peak = Math.max(peak, t.peakMiB ?? 0);
  }
  return { ...stats(seconds), peakMiB: Math.round(peak) };
}

/** tmux's own single-quoting for a command file; the bench's values never hold a quote. */
function quoted(arg) {
  if (arg.includes("'") || /[\x00-\x1f]/.test(arg)) throw new Error(`cannot quote ${JSON.stringify(arg)} for a tmux file`);
  return `'${arg}'`;
}

/**
 * One tmux invocation running `commands` (each an argv array, one per
 * line, so a failing one skips only its own line) from a file: no
 * command-line cap. `config` as mosaic's when comparing like with like.
 */
export function tmuxScript(world, socket, commands, config = "/dev/null") {
  const file = join(world.work, `${socket}.tmux`);
  // A command is its arguments, or a line already in tmux's syntax (as mosaic sent it).
  writeFileSync(file, `${commands.map((c) => (typeof c === "string" ? c : c.map((a) => (a === ";" ? ";" : quoted(a))).join(" "))).join("\n")}\n`);
  return ["tmux", "-L", socket, "-f", config, "start-server", ";", "source-file", file];
}

/**
 * Kill a server and wait until it no longer answers: a client started
 * meanwhile would reach the dying server. tmux 3.3a leaves its socket file
 * behind, which is removed here once nothing listens on it.
 */
export function killServer(world, socket) {
  const gone = (r) => r.status !== 0 && /no server running|error connecting|server exited/.test(r.stderr);
  let r = run(["tmux", "-L", socket, "kill-server"], world.env);
  for (let i = 0; i < 500 && !gone(r); i++) {
    spawnSync("sleep", ["0.01"]);
    r = run(["tmux", "-L", socket, "list-sessions"], world.env);
  }
  rmSync(join(world.tmuxDir, `tmux-${process.getuid()}`, socket), { force: true });
}

/** `count` idle processes elsewhere on the host, as a busy machine has; returns a function that ends them. */
export function otherProcesses(count) {
  const children = Array.from({ length: count }, () => spawn("sleep", ["100000"], { stdio: "ignore" }));
  return () => children.forEach((c) => c.kill("SIGKILL"));
}
