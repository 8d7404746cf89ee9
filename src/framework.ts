import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the folder holding `package.json`, `dist/` and
 * `framework/`. Compiled files live in `dist/`, one level below it, and the
 * layout is the same in a git checkout and in an installed npm package.
 */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Product-owned assets shipped in the npm package. */
export const frameworkDir: string = join(packageRoot, "framework");

export const frameworkPaths = {
  rosterSchema: join(frameworkDir, "fleet", "roster.schema.json"),
  example: (profile: string) => join(frameworkDir, "fleet", "examples", `${profile}.yaml`),
  tmuxConfig: join(frameworkDir, "tools", "tmux", "mosaic.tmux.conf"),
  demoAgent: join(frameworkDir, "demo", "echo-agent.mjs"),
} as const;
