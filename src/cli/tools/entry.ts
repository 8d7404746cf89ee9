/** The session tool's process: arguments, standard input and exit status for runTool. */
import { runTool } from "./main.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

const code = await runTool(process.argv.slice(2), { env: process.env, err: (line) => process.stderr.write(`${line}\n`), stdin: readStdin });
process.exitCode = code;
