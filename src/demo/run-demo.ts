/**
 * `npm run demo`: the whole operator loop on a throwaway fleet, in a
 * temporary config home, with the shipped echo agent standing in for an AI
 * agent. Runs the real CLI in-process and leaves nothing behind.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../cli/cli.js";
import { colorWanted, createStyle } from "../render/style.js";

const style = createStyle(colorWanted(process.stdout, process.env));
const home = await mkdtemp(join(tmpdir(), "mosaic-demo-"));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
const cli = await buildCli({ colors: colorWanted(process.stdout, process.env) });

async function step(title: string, argv: string[]): Promise<number> {
  process.stdout.write(`\n${style.bold(style.cyan(`$ mosaic ${argv.join(" ")}`))}   ${style.dim(`# ${title}`)}\n`);
  return cli.run(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env });
}

let failed = false;
try {
  process.stdout.write(`Mosaic demo in a temporary home: ${home}\n`);
  const steps: [string, string[]][] = [
    ["install a roster of two echo agents", ["fleet", "init", "--profile", "demo", "--write"]],
    ["what the roster defines", ["agent", "roster"]],
  ];
  for (const [title, argv] of steps) {
    if ((await step(title, argv)) !== 0) {
      failed = true;
      break;
    }
  }
} finally {
  await rm(home, { recursive: true, force: true });
}
process.stdout.write(failed ? `\n${style.red("Demo failed.")}\n` : `\n${style.green("Demo finished; the temporary home is removed.")}\n`);
process.exitCode = failed ? 1 : 0;
