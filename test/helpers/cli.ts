import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "..", "..");
/** The built `mosaic`, as the package runs it: the bundle. */
export const cliPath = join(repoRoot, "dist", "mosaic.js");

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the built `mosaic` as a user would, with the given environment only. */
export async function mosaic(args: readonly string[], env: Record<string, string>, opts: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    extendEnv: false,
    reject: false,
    cwd: opts.cwd ?? repoRoot,
    input: opts.input ?? "",
  });
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `mosaic-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
