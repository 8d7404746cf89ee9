// Renders what `mosaic --help` and `mosaic --version` print, with the
// compiled CLI itself (dist/cli/cli.js, from tsc), into dist/static-help.json,
// which the entry prints without loading the command table
// (src/cli/static-answer.ts). Run by `npm run build`, after tsc.
import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { buildCli } from "../dist/cli/cli.js";
import { STATIC_ANSWERS_PATH } from "../dist/cli/static-answer.js";

async function render(args, colors) {
  let out = "";
  const stdout = new Writable({ write(chunk, _encoding, done) { out += chunk; done(); } });
  const cli = await buildCli({ colors });
  const code = await cli.run(args, { stdout, stderr: process.stderr, env: {} });
  if (code !== 0 || out === "") throw new Error(`mosaic ${args.join(" ")} exited ${code} with ${JSON.stringify(out)}`);
  return out;
}

const version = (await render(["--version"], false)).trim();
const help = { plain: await render(["--help"], false), colored: await render(["--help"], true) };
writeFileSync(STATIC_ANSWERS_PATH, `${JSON.stringify({ version, help }, null, 2)}\n`);
