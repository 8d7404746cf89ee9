#!/usr/bin/env node
// npm run bench [-- --agents 10,50,200] [--runs 5]
//
// Times the built `mosaic` (dist/mosaic.js) on fleets of N agents, each on a
// private tmux socket under a private TMUX_TMPDIR and HOME, beside floors
// measured in the same run: what the same work costs done by hand with
// tmux alone. Peers (tmuxp, tmuxinator) are timed on equivalent configs when
// they are installed (Debian: apt-get install tmuxp tmuxinator), and said
// to be missing otherwise. Every figure is the median of several runs, with
// the minimum and maximum beside it. It counts the tmux processes each
// mosaic command spawns, records peak memory, and writes bench/results.md
// and bench/results.json. Timings live here, never in the tests.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const mosaicBin = join(root, "dist", "mosaic.js");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg("--agents", "10,50,200").split(",").map(Number);
const runs = Number(arg("--runs", "5"));
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: npm run bench [-- --agents 10,50,200] [--runs 5]");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "mosaic-bench-"));
const tmuxDir = join(work, "tmux");
mkdirSync(tmuxDir, { mode: 0o700 });
const realTmux = spawnSync("sh", ["-c", "command -v tmux"], { encoding: "utf8" }).stdout.trim();
// A tmux earlier on PATH that counts its invocations, for mosaic's spawns.
const wrapDir = join(work, "bin");
const callLog = join(work, "tmux-calls.log");
mkdirSync(wrapDir);
writeFileSync(join(wrapDir, "tmux"), `#!/bin/sh\necho x >> '${callLog}'\nexec '${realTmux}' "$@"\n`);
chmodSync(join(wrapDir, "tmux"), 0o755);
const env = { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, "config"), XDG_STATE_HOME: join(work, "state"), TMUX_TMPDIR: tmuxDir, NO_COLOR: "1" };
delete env.TMUX;
delete env.TMUX_PANE;
const countingEnv = { ...env, PATH: `${wrapDir}:${process.env.PATH}` };

/** Wall seconds and peak MiB of one command, run to its end; it must succeed. */
function timed(argv, opts = {}) {
  // /usr/bin/time for the peak memory; the wall time from our own clock, finer than its 10 ms.
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", ...argv], { env: opts.env ?? env, encoding: "utf8", input: opts.input ?? "" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && !opts.mayFail) throw new Error(`${argv.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const m = /(\d+)\s*$/.exec(r.stderr);
  return { seconds, peakMiB: Number(m?.[1] ?? NaN) / 1024 };
}
const run = (argv, e = env) => spawnSync(argv[0], argv.slice(1), { env: e, encoding: "utf8" });
const mosaic = (args) => ["node", mosaicBin, ...args, "--roster", join(work, "roster.json")];

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

/** `runs` measurements of `measure()`, each after `prepare()`. */
function sample(prepare, measure) {
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

function spawnsOf(args) {
  writeFileSync(callLog, "");
  run(mosaic(args), countingEnv);
  return readFileSync(callLog, "utf8").split("\n").filter(Boolean).length;
}

/** One tmux invocation doing `lines` (tmux commands, one per line) from a file: no command-line cap. */
function tmuxScript(socket, lines) {
  const file = join(work, `${socket}.tmux`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return ["tmux", "-L", socket, "-f", "/dev/null", "start-server", ";", "source-file", file];
}
/** Kill a server and wait until its socket is gone: a client started meanwhile would reach the dying server. */
function killServer(socket) {
  run(["tmux", "-L", socket, "kill-server"]);
  const path = join(tmuxDir, `tmux-${process.getuid()}`, socket);
  for (let i = 0; i < 200 && existsSync(path); i++) spawnSync("sleep", ["0.01"]);
}

const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", memGiB: Math.round(totalmem() / 2 ** 30) }, versions: {}, runs, sizes: {} };
results.versions.node = process.version;
results.versions.tmux = run(["tmux", "-V"]).stdout.trim();
results.versions.mosaic = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const peers = {};
for (const peer of ["tmuxp", "tmuxinator"]) {
  const v = run(["sh", "-c", `command -v ${peer} >/dev/null && ${peer} ${peer === "tmuxinator" ? "version" : "--version"} 2>&1 | head -1`]);
  peers[peer] = v.status === 0 && v.stdout.trim() !== "" ? v.stdout.trim() : null;
  results.versions[peer] = peers[peer] ?? "not installed (apt-get install " + peer + ")";
}

try {
  results.help = sample(null, () => timed(["node", mosaicBin, "--help"]));
  results.nodeFloor = sample(null, () => timed(["node", "-e", "0"]));

  for (const n of sizes) {
    const socket = `bench-${n}`;
    const names = Array.from({ length: n }, (_, i) => `agent-${i}`);
    writeFileSync(join(work, "roster.json"), JSON.stringify({ socket, backend: "direct", defaults: { command: "sleep", args: ["100000"], ready_after_seconds: 0, stop_grace_seconds: 2 }, agents: names.map((name) => ({ name })) }));
    const r = {};
    const stopFleet = () => run(mosaic(["fleet", "stop"]));
    r.apply = sample(() => (stopFleet(), killServer(socket)), () => timed(mosaic(["fleet", "apply", "--auto-approve"])));
    r.plan = sample(null, () => timed(mosaic(["fleet", "plan"])));
    r.stop = sample(() => run(mosaic(["fleet", "apply", "--auto-approve"])), () => timed(mosaic(["fleet", "stop"])));
    killServer(socket);
    r.spawns = { apply: spawnsOf(["fleet", "apply", "--auto-approve"]), plan: spawnsOf(["fleet", "plan"]), stop: spawnsOf(["fleet", "stop"]) };
    killServer(socket);

    const floor = `floor-${n}`;
    const create = names.map((name) => `new-session -d -s ${name} sleep 100000`);
    r.floorCreate = sample(() => killServer(floor), () => timed(tmuxScript(floor, create)));
    r.floorListPanes = sample(null, () => timed(["tmux", "-L", floor, "list-panes", "-a"]));
    r.floorKill = sample(() => (killServer(floor), run(tmuxScript(floor, [...create, "new-session -d -s keep sleep 100000"]))), () => timed(tmuxScript(floor, names.map((name) => `kill-session -t =${name}`))));
    killServer(floor);
    const loop = `for i in $(seq 0 ${n - 1}); do tmux -L ${floor} -f /dev/null new-session -d -s agent-$i sleep 100000; done`;
    r.floorLoop = sample(() => killServer(floor), () => timed(["sh", "-c", loop]));
    killServer(floor);

    if (peers.tmuxp) {
      const config = join(work, `tmuxp-${n}.yaml`);
      // tmuxp loads one session per file: N windows of one session is the nearest equivalent.
      writeFileSync(config, `session_name: tmuxp-${n}\nwindows:\n${names.map((name) => `  - window_name: ${name}\n    panes:\n      - sleep 100000\n`).join("")}`);
      r.tmuxp = sample(() => killServer("tmuxp"), () => timed(["tmuxp", "load", "-d", "-L", "tmuxp", config]));
      killServer("tmuxp");
      r.tmuxpConfig = config;
    }
    if (peers.tmuxinator) {
      const config = join(work, `tmuxinator-${n}.yml`);
      writeFileSync(config, `name: bench${n}\nsocket_name: tmuxinator\nroot: ~/\nwindows:\n${names.map((name) => `  - ${name}: sleep 100000\n`).join("")}`);
      r.tmuxinator = sample(() => killServer("tmuxinator"), () => timed(["tmuxinator", "start", "-p", config, "--no-attach"]));
      killServer("tmuxinator");
    }
    results.sizes[n] = r;
  }
} finally {
  for (const n of sizes) killServer(`bench-${n}`);
  rmSync(work, { recursive: true, force: true });
}

const f = (s) => `${s.median.toFixed(3)} s (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
const ratio = (a, b) => (b.median > 0 ? (a.median / b.median).toFixed(2) : "-");
const rows = [];
rows.push(["`mosaic --help`", f(results.help), `\`node -e 0\`: ${f(results.nodeFloor)}`, ratio(results.help, results.nodeFloor), "", `${results.help.peakMiB} MiB`]);
for (const [n, r] of Object.entries(results.sizes)) {
  const planFloor = { median: results.nodeFloor.median + r.floorListPanes.median };
  rows.push([`\`fleet plan\`, ${n} agents`, f(r.plan), `\`node -e 0\` + one \`list-panes -a\`: ${planFloor.median.toFixed(3)} s`, ratio(r.plan, planFloor), r.spawns.plan, `${r.plan.peakMiB} MiB`]);
  const peers = [r.tmuxp ? `tmuxp ${r.tmuxp.median.toFixed(3)} s` : null, r.tmuxinator ? `tmuxinator ${r.tmuxinator.median.toFixed(3)} s` : null].filter(Boolean).join("; ");
  rows.push([`\`fleet apply\` from nothing, ${n} agents`, f(r.apply), `one tmux creating ${n}: ${f(r.floorCreate)}; a shell loop: ${r.floorLoop.median.toFixed(3)} s${peers ? `; ${peers}` : ""}`, ratio(r.apply, r.floorCreate), r.spawns.apply, `${r.apply.peakMiB} MiB`]);
  rows.push([`\`fleet stop\`, ${n} agents`, f(r.stop), `one tmux killing ${n}: ${f(r.floorKill)}`, ratio(r.stop, r.floorKill), r.spawns.stop, `${r.stop.peakMiB} MiB`]);
}
const md = [
  "# mosaic benchmark",
  "",
  `${results.date}: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB; Node ${results.versions.node}, ${results.versions.tmux}, mosaic ${results.versions.mosaic}; tmuxp: ${results.versions.tmuxp}; tmuxinator: ${results.versions.tmuxinator}. Median of ${runs} runs (min–max). Agents run \`sleep 100000\`, backend direct.`,
  "",
  "| work | mosaic | floor (same run) | ratio | tmux spawns | peak memory |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
  "Made by `npm run bench`. Peers are timed on configs of one session with N windows (tmuxp and tmuxinator load one session per file).",
  "",
].join("\n");
writeFileSync(join(root, "bench", "results.md"), md);
writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(md);
