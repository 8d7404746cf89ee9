#!/usr/bin/env node
import { colorWanted, createStyle } from "../render/style.js";
import { GuardedOutput, settleOutput } from "./output.js";
import { staticAnswer } from "./static-answer.js";

const args = process.argv.slice(2);
const colors = colorWanted(process.stdout, process.env);
const answer = staticAnswer(args, colors);
if (answer !== null) {
  // Through the same guard as every command: `| head -1` and a full disk end in the same exit status.
  const stdout = GuardedOutput.of(process.stdout);
  stdout.write(answer);
  process.exitCode = await settleOutput(0, stdout, GuardedOutput.of(process.stderr), createStyle(colorWanted(process.stderr, process.env)));
} else {
  // The command table and everything behind it load only for a command that needs them.
  const { buildCli } = await import("./cli.js");
  const cli = await buildCli({ colors });
  await cli.runExit(args);
}
