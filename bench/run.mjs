#!/usr/bin/env node
// npm run bench [-- --agents 1,10,50,200,300,1000] [--runs 5] [--host-load 1500] [--peers-up-to 200] [--systemd-up-to 300]
//
// Times the built `mosaic` (dist/mosaic.js) on fleets of N agents, each on a
// private tmux socket under a private TMUX_TMPDIR and HOME, beside floors
// measured in the same run: what the same work costs done by hand with tmux
// alone. Peers (tmuxp, tmuxinator) are timed on equivalent configs when they
// are installed (Debian: apt-get install tmuxp tmuxinator), and said to be
// missing otherwise. Every figure is the median of several runs, with the
// minimum and maximum beside it. It counts the tmux and systemctl processes
// each mosaic command spawns, records peak memory, checks the targets of
// issue 10, and writes bench/results.md and bench/results.json. Timings
// live here, never in the tests.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { calls, clearCalls, killServer, makeWorld, otherProcesses, run, sample, timed, tmuxScript } from "./lib.mjs";
import { report } from "./report.mjs";
import { startUserManager } from "./systemd.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const mosaicBin = join(root, "dist", "mosaic.js");
const tmuxConfig = join(root, "framework", "tools", "tmux", "mosaic.tmux.conf");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg("--agents", "1,10,50,200,300,1000").split(",").map(Number);
const runs = Number(arg("--runs", "5"));
const hostLoad = Number(arg("--host-load", "1500"));
const peersUpTo = Number(arg("--peers-up-to", "200"));
const systemdUpTo = Number(arg("--systemd-up-to", "300"));
if ([...sizes, runs].some((n) => !Number.isInteger(n) || n < 1) || [hostLoad, peersUpTo, systemdUpTo].some((n) => !Number.isInteger(n) || n < 0)) {
  console.error("usage: npm run bench [-- --agents 1,10,50,200,300,1000] [--runs 5] [--host-load 1500] [--peers-up-to 200] [--systemd-up-to 300]");
  process.exit(2);
}
/** The size the single-size rows (a loaded host, agents ignoring SIGTERM) use: 200, or the largest below it. */
const rowSize = sizes.includes(200) ? 200 : Math.max(...sizes.filter((n) => n <= 200), Math.min(...sizes));

const world = makeWorld();
const { env } = world;
const rosterPath = join(world.work, "roster.json");
const mosaic = (args) => ["node", mosaicBin, ...args, "--roster", rosterPath];
const names = (n) => Array.from({ length: n }, (_, i) => `agent-${i}`);
function writeRoster(socket, n, extra = {}) {
  const defaults = { command: "sleep", args: ["100000"], ready_after_seconds: 0, stop_grace_seconds: 2, ...extra };
  writeFileSync(rosterPath, JSON.stringify({ socket, backend: "direct", defaults, agents: names(n).map((name) => ({ name })) }));
}

/** tmux and systemctl processes a mosaic command starts, and (for apply) the tmux commands it sent. */
function spawnsOf(args, e = world.countingEnv, wrap = (a) => a) {
  clearCalls(world);
  const r = run(wrap(mosaic(args)), e);
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  const log = calls(world);
  return { tmux: log.filter((c) => c[0] === "tmux").length, systemctl: log.filter((c) => c[0] === "systemctl").length, log };
}

/**
 * The commands of mosaic's new-session chains, one session (new-session
 * and its labels) per line: the floor of creating the very sessions mosaic
 * creates, labels and all, in one invocation.
 */
function labelledCreates(log) {
  // mosaic sends its launches on tmux's stdin, one chain per line in tmux's syntax: one line per agent here.
  const lines = [];
  for (const [tool, ...args] of log) {
    const stdin = args.at(-1);
    if (tool !== "tmux" || !stdin?.startsWith("<")) continue;
    for (const chain of readFileSync(stdin.slice(1), "utf8").split("\n")) {
      if (!chain.startsWith("'new-session'")) continue;
      lines.push(...chain.split(" ; 'new-session' ").map((line, i) => (i === 0 ? line : `'new-session' ${line}`)));
    }
  }
  return lines;
}

const results = { date: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", memGiB: Math.round(totalmem() / 2 ** 30) }, versions: {}, runs, hostLoad, sizes: {} };
results.versions.node = process.version;
results.versions.tmux = run(["tmux", "-V"], env).stdout.trim();
results.versions.systemd = run(["sh", "-c", "systemctl --version | head -1"], env).stdout.trim();
results.versions.mosaic = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const peers = {};
for (const peer of ["tmuxp", "tmuxinator"]) {
  const v = run(["sh", "-c", `command -v ${peer} >/dev/null && ${peer} ${peer === "tmuxinator" ? "version" : "--version"} 2>&1 | head -1`], env);
  peers[peer] = v.status === 0 && v.stdout.trim() !== "" ? v.stdout.trim() : null;
  results.versions[peer] = peers[peer] ?? `not installed (apt-get install ${peer})`;
}

let userManager = null;
try {
  results.help = sample(runs, null, () => timed(["node", mosaicBin, "--help"], { env }));
  results.nodeFloor = sample(runs, null, () => timed(["node", "-e", "0"], { env }));
  process.stderr.write("rosters that are YAML alias bombs\n");
  results.bombs = measureBombs();

  for (const n of sizes) {
    const socket = `bench-${n}`;
    const r = {};
    process.stderr.write(`${n} agents: mosaic\n`);
    writeRoster(socket, n);
    const stopFleet = () => run(mosaic(["fleet", "stop"]), env);
    r.apply = sample(runs, () => (stopFleet(), killServer(world, socket)), () => timed(mosaic(["fleet", "apply", "--auto-approve"]), { env }));
    r.plan = sample(runs, null, () => timed(mosaic(["fleet", "plan"]), { env }));
    r.stop = sample(runs, () => run(mosaic(["fleet", "apply", "--auto-approve"]), env), () => timed(mosaic(["fleet", "stop"]), { env }));
    killServer(world, socket);
    const applied = spawnsOf(["fleet", "apply", "--auto-approve"]);
    r.spawns = { apply: applied.tmux, plan: spawnsOf(["fleet", "plan"]).tmux, stop: spawnsOf(["fleet", "stop"]).tmux };
    killServer(world, socket);

    process.stderr.write(`${n} agents: floors\n`);
    const floor = `floor-${n}`;
    const bare = names(n).map((name) => ["new-session", "-d", "-s", name, "sleep", "100000"]);
    r.floorCreate = sample(runs, () => killServer(world, floor), () => timed(tmuxScript(world, floor, bare), { env }));
    const labelled = labelledCreates(applied.log);
    r.floorCreateLabelled = sample(runs, () => killServer(world, floor), () => timed(tmuxScript(world, floor, labelled, tmuxConfig), { env }));
    r.floorListPanes = sample(runs, null, () => timed(["tmux", "-L", floor, "list-panes", "-a"], { env }));
    const kill = names(n).map((name) => ["kill-session", "-t", `=${name}`]);
    r.floorKill = sample(runs, () => (killServer(world, floor), run(tmuxScript(world, floor, [...bare, ["new-session", "-d", "-s", "keep", "sleep", "100000"]]), env)), () => timed(tmuxScript(world, floor, kill), { env }));
    killServer(world, floor);
    const loop = `for i in $(seq 0 ${n - 1}); do tmux -L ${floor} -f /dev/null new-session -d -s agent-$i sleep 100000; done`;
    r.floorLoop = sample(runs, () => killServer(world, floor), () => timed(["sh", "-c", loop], { env }));
    killServer(world, floor);

    if (n <= peersUpTo) measurePeers(n, r);
    if (n === rowSize) measureHardStops(n, r);
    if (n <= systemdUpTo) {
      userManager ??= startUserManager(world);
      r.systemd = userManager.unavailable ? { unavailable: userManager.unavailable } : measureSystemd(n);
    }
    results.sizes[n] = r;
  }
} finally {
  for (const n of sizes) for (const s of [`bench-${n}`, `floor-${n}`, `loaded-${n}`, `stubborn-${n}`]) killServer(world, s);
  for (const s of ["tmuxp", "tmuxinator"]) killServer(world, s);
  if (userManager && !userManager.unavailable) userManager.stop();
  rmSync(world.work, { recursive: true, force: true });
}

/**
 * `fleet plan` refusing rosters whose aliases would expand past any real
 * roster (billions of nodes): the time the tests once bounded, which lives
 * here. Each must be refused, at the alias, before anything expands.
 */
function measureBombs() {
  const laughs = (levels, width) => [`x-l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`, ...Array.from({ length: levels - 1 }, (_, i) => `x-l${i + 1}: &l${i + 1} [${Array(width).fill(`*l${i}`).join(", ")}]`)];
  const merges = ["x-m0: &m0 { a: lol, b: lol }", ...Array.from({ length: 39 }, (_, i) => `x-m${i + 1}: &m${i + 1} { <<: [*m${i}, *m${i}], k${i + 1}: [*m${i}, *m${i}] }`)];
  const bombs = { "10 levels of 10 aliases": laughs(10, 10), "100 levels of 2": laughs(100, 2), "40 levels of merge keys": merges };
  const out = {};
  for (const [name, lines] of Object.entries(bombs)) {
    const path = join(world.work, "bomb.yaml");
    writeFileSync(path, `${lines.join("\n")}\nagents: []\n`);
    const argv = ["node", mosaicBin, "fleet", "plan", "--roster", path];
    const check = run(argv, env);
    if (check.status !== 1 || !check.stderr.includes("refused: YAML aliases expand too far")) throw new Error(`the ${name} roster was not refused:\n${check.stdout}\n${check.stderr}`);
    out[name] = sample(runs, null, () => timed(argv, { env, mayFail: true }));
  }
  return out;
}

function measurePeers(n, r) {
  if (peers.tmuxp) {
    process.stderr.write(`${n} agents: tmuxp\n`);
    const config = join(world.work, `tmuxp-${n}.yaml`);
    // tmuxp loads one session per file: N windows of one session is the nearest equivalent.
    const text = `session_name: tmuxp-${n}\nwindows:\n${names(n).map((name) => `  - window_name: ${name}\n    panes:\n      - sleep 100000\n`).join("")}`;
    writeFileSync(config, text);
    r.tmuxp = sample(runs, () => killServer(world, "tmuxp"), () => timed(["tmuxp", "load", "-d", "-L", "tmuxp", config], { env }));
    r.tmuxpConfigHead = text.split("\n").slice(0, 7).join("\n");
    killServer(world, "tmuxp");
  }
  if (peers.tmuxinator) {
    process.stderr.write(`${n} agents: tmuxinator\n`);
    const config = join(world.work, `tmuxinator-${n}.yml`);
    const text = `name: bench${n}\nsocket_name: tmuxinator\nroot: ~/\nwindows:\n${names(n).map((name) => `  - ${name}: sleep 100000\n`).join("")}`;
    writeFileSync(config, text);
    r.tmuxinator = sample(runs, () => killServer(world, "tmuxinator"), () => timed(["tmuxinator", "start", "-p", config, "--no-attach"], { env }));
    r.tmuxinatorConfigHead = text.split("\n").slice(0, 6).join("\n");
    killServer(world, "tmuxinator");
  }
}

/** Stop on a host busy with other processes, and stop of agents that ignore SIGTERM. */
function measureHardStops(n, r) {
  if (hostLoad > 0) {
    process.stderr.write(`${n} agents: stop and plan beside ${hostLoad} other processes\n`);
    writeRoster(`loaded-${n}`, n);
    const endLoad = otherProcesses(hostLoad);
    try {
      r.loadedStop = sample(runs, () => run(mosaic(["fleet", "apply", "--auto-approve"]), env), () => timed(mosaic(["fleet", "stop"]), { env }));
      run(mosaic(["fleet", "apply", "--auto-approve"]), env);
      r.loadedPlan = sample(runs, null, () => timed(mosaic(["fleet", "plan"]), { env }));
      run(mosaic(["fleet", "stop"]), env);
    } finally {
      endLoad();
    }
    killServer(world, `loaded-${n}`);
  }
  process.stderr.write(`${n} agents ignoring SIGTERM: stop\n`);
  // An ignored signal stays ignored across exec: the shell and its sleep both ignore TERM.
  writeRoster(`stubborn-${n}`, n, { command: "sh", args: ["-c", "trap '' TERM; sleep 100000"] });
  r.stubbornStop = sample(runs, () => run(mosaic(["fleet", "apply", "--auto-approve"]), env), () => timed(mosaic(["fleet", "stop"]), { env }));
  killServer(world, `stubborn-${n}`);
  writeRoster(`bench-${n}`, n);
}

/** The systemd backend: `fleet start` and `fleet stop` of N agent units, beside the direct backend doing the same (its rows, same run). */
function measureSystemd(n) {
  process.stderr.write(`${n} agents: systemd backend\n`);
  const socket = `units-${n}`;
  writeFileSync(rosterPath, JSON.stringify({ socket, backend: "systemd", defaults: { command: "sleep", args: ["100000"], ready_after_seconds: 0, stop_grace_seconds: 2 }, agents: names(n).map((name) => ({ name })) }));
  const e = { ...env, XDG_RUNTIME_DIR: userManager.env.XDG_RUNTIME_DIR };
  const counting = { ...world.countingEnv, XDG_RUNTIME_DIR: userManager.env.XDG_RUNTIME_DIR };
  const inside = (argv) => userManager.inside(argv);
  const must = (argv) => {
    const r = run(inside(argv), e);
    if (r.status !== 0) throw new Error(`${argv.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  };
  must(mosaic(["fleet", "install-systemd", "--reload"]));
  const s = {};
  s.start = sample(runs, () => must(mosaic(["fleet", "stop"])), () => timed(inside(mosaic(["fleet", "start"])), { env: e }));
  s.stop = sample(runs, () => must(mosaic(["fleet", "start"])), () => timed(inside(mosaic(["fleet", "stop"])), { env: e }));
  const started = spawnsOf(["fleet", "start"], counting, inside);
  const stopped = spawnsOf(["fleet", "stop"], counting, inside);
  s.spawns = { start: { tmux: started.tmux, systemctl: started.systemctl }, stop: { tmux: stopped.tmux, systemctl: stopped.systemctl } };
  const units = ["mosaic-tmux-holder.service", ...names(n).map((name) => `mosaic-agent@${name}.service`)];
  must(["systemctl", "--user", "stop", ...units]);
  // systemd's own floor: the same number of units that do nothing (/bin/true to start and to stop), in one call each.
  const noop = names(n).map((name) => `mosaic-bench-noop@${name}.service`);
  writeFileSync(join(e.XDG_CONFIG_HOME, "systemd", "user", "mosaic-bench-noop@.service"), "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\nExecStop=/bin/true\n");
  must(["systemctl", "--user", "daemon-reload"]);
  s.floorStart = sample(runs, () => must(["systemctl", "--user", "stop", ...noop]), () => timed(inside(["systemctl", "--user", "start", ...noop]), { env: e }));
  s.floorStop = sample(runs, () => must(["systemctl", "--user", "start", ...noop]), () => timed(inside(["systemctl", "--user", "stop", ...noop]), { env: e }));
  killServer({ ...world, env: e }, socket);
  writeRoster(`bench-${n}`, n);
  return s;
}

const { markdown, targets } = report(results);
results.targets = targets;
writeFileSync(join(root, "bench", "results.md"), markdown);
writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(markdown);
