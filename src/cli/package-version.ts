import { join } from "node:path";
import { readTextFile } from "../adapters/fs.js";
import { packageRoot } from "../framework.js";

/** This package's version, from its package.json. */
export async function packageVersion(): Promise<string> {
  return (JSON.parse(await readTextFile(join(packageRoot, "package.json"), 1 << 20)) as { version: string }).version;
}
