/** The session tool's process: arguments, standard input and exit status for runTool. */
import { runTool } from "./main.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  // Not UTF-8 would reach the agent as U+FFFD, not as sent: refused (runTool says so).
  return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
}

const code = await runTool(process.argv.slice(2), { env: process.env, err: (line) => process.stderr.write(`${line}\n`), stdin: readStdin });
process.exitCode = code;
