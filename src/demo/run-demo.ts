/**
 * `npm run demo`: the operator's whole loop on a throwaway fleet of two echo
 * agents (shipped in framework/demo), so it needs no AI agent installed:
 * plan, apply, status, verify, a message and its answer, reset, stop.
 * Everything lives in a temporary home with its own TMUX_TMPDIR, so even
 * the tmux sockets are private; the real CLI runs in-process, and the fleet
 * is stopped and the folder removed whatever happens, a reader that leaves
 * early (`npm run demo | head`) included: every line goes through the CLI's
 * output guards, so a failed write stops the demo cleanly, with exit 1.
 */
import { join } from "node:path";
import { makeDir, makeTempDir, removeTree } from "../adapters/fs.js";
import { buildCli } from "../cli/cli.js";
import { GuardedOutput, settleOutput } from "../cli/output.js";
import { formatArgv } from "../render/argv.js";
import { colorWanted, createStyle } from "../render/style.js";

const colors = colorWanted(process.stdout, process.env);
const style = createStyle(colors);
const home = await makeTempDir("mosaic-demo-");
await makeDir(join(home, "tmux"), 0o700);
const env: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), TMUX_TMPDIR: join(home, "tmux") };
delete env.TMUX;
const cli = await buildCli({ colors });
const stdout = GuardedOutput.of(process.stdout);
const stderr = GuardedOutput.of(process.stderr);
const context = { stdout, stderr, stdin: process.stdin, env };

async function step(title: string, argv: string[], expectExit = 0): Promise<boolean> {
  stdout.write(`\n${style.bold(style.cyan(`$ ${formatArgv(["mosaic", ...argv])}`))}   ${style.dim(`# ${title}`)}\n`);
  const code = await cli.run(argv, context);
  if (code !== expectExit) stdout.write(style.red(`(exit ${code}, expected ${expectExit})\n`));
  return code === expectExit;
}

const steps: [string, string[], number?][] = [
  ["install a roster of two echo agents", ["fleet", "init", "--profile", "demo", "--write"]],
  ["what the roster defines", ["agent", "roster"]],
  ["what would change (exit 2: changes present)", ["fleet", "plan", "--detailed-exitcode"], 2],
  ["make it so", ["fleet", "apply", "--auto-approve"]],
  ["what runs now", ["fleet", "status"]],
  ["liveness evidence: exact sessions, live panes", ["fleet", "verify"]],
  ["a converged fleet plans to nothing", ["fleet", "plan", "--detailed-exitcode"]],
  ["talk to an agent: type into its pane, wait for its answer", ["agent", "send", "demo-alpha", "--message", "status check", "--wait-for", "received: .*status check"]],
  ["what the agent printed", ["agent", "tail", "demo-alpha", "-n", "5"]],
  ["replace one agent, starting a new conversation", ["agent", "reset", "demo-beta", "--new"]],
  ["stop everything, the holder last", ["fleet", "stop"]],
];

let ok = true;
try {
  stdout.write(`Mosaic demo in a temporary home: ${home}\n`);
  for (const [title, argv, exit] of steps) {
    ok = await step(title, argv, exit ?? 0);
    if (!ok) break;
  }
} finally {
  if (!ok) await cli.run(["fleet", "stop"], context);
  await removeTree(home);
}
stdout.write(ok ? `\n${style.green("Demo finished; its temporary home is removed.")}\n` : `\n${style.red("Demo failed; see above.")}\n`);
process.exitCode = await settleOutput(ok ? 0 : 1, stdout, stderr, createStyle(colorWanted(process.stderr, process.env)));
