import { runProgram } from "./exec.js";

/**
 * npm, for the release preflight: what a package would ship, packing it,
 * and installing the packed file into a prefix of its own. Scripts are
 * never run (`--ignore-scripts`): an installed mosaic has no dev
 * dependencies to build with, and what is checked is the package as it is.
 * `cancel` ends a run under way (the preflight was asked to stop).
 */
type Env = Readonly<Record<string, string | undefined>>;

export type NpmOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

function failed(what: string, r: { exitCode: number; stderr: string; notStarted: string | null }): { ok: false; problem: string } {
  if (r.notStarted !== null) return { ok: false, problem: `${what}: npm could not run (${r.notStarted}); is npm on PATH?` };
  const last = r.stderr.trim().split("\n").filter((l) => !l.includes("npm notice")).slice(-3).join(" / ");
  return { ok: false, problem: `${what} exited ${r.exitCode}${last ? `: ${last}` : ""}` };
}

/** `npm pack --dry-run --json` in `dir`: the paths the package would ship. */
export async function packDryRun(dir: string, env: Env, cancel?: AbortSignal): Promise<NpmOutcome<string[]>> {
  const r = await runProgram(["npm", "pack", "--dry-run", "--json", "--ignore-scripts"], { env, cwd: dir, timeoutMs: 120_000, cancel });
  if (r.exitCode !== 0) return failed("npm pack --dry-run", r);
  try {
    const doc = JSON.parse(r.stdout) as { files?: { path: string }[] }[];
    return { ok: true, value: (doc[0]?.files ?? []).map((f) => f.path) };
  } catch {
    return { ok: false, problem: "npm pack --dry-run --json printed something that is not JSON" };
  }
}

/** `npm pack` of `dir` into `dest`: the tarball's path. */
export async function pack(dir: string, dest: string, env: Env, cancel?: AbortSignal): Promise<NpmOutcome<string>> {
  const r = await runProgram(["npm", "pack", "--json", "--ignore-scripts", "--pack-destination", dest], { env, cwd: dir, timeoutMs: 120_000, cancel });
  if (r.exitCode !== 0) return failed("npm pack", r);
  try {
    const name = (JSON.parse(r.stdout) as { filename?: string }[])[0]?.filename;
    return name ? { ok: true, value: `${dest}/${name}` } : { ok: false, problem: "npm pack did not name the file it wrote" };
  } catch {
    return { ok: false, problem: "npm pack --json printed something that is not JSON" };
  }
}

/** `npm install -g --prefix PREFIX TARBALL`, from npm's cache where it can. */
export async function installGlobal(tarball: string, prefix: string, env: Env, cancel?: AbortSignal): Promise<NpmOutcome<string>> {
  const r = await runProgram(["npm", "install", "--global", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { env, timeoutMs: 600_000, cancel });
  return r.exitCode === 0 ? { ok: true, value: `${prefix}/bin/mosaic` } : failed("npm install", r);
}
