import { resolveCwd, tildeProblem, type PathBase } from "./agent-paths.js";
import { MAX_ENV_FILE_BYTES, parseEnvFile, type EnvFileReader } from "./env-file.js";
import type { PathSegment } from "./locate.js";
import type { RawAgentSettings, RawRoster } from "./normalise.js";

/** The variables of the defaults' env_file and of each agent's (same order as `agents`), before `env` is laid over them. */
export interface FileEnv {
  readonly defaults: Readonly<Record<string, string>>;
  readonly agents: readonly Readonly<Record<string, string>>[];
}

/**
 * Read every env_file the roster names, each once, and say at the entry
 * that names it what is wrong with it: missing, others may read it, a line
 * that is not KEY=value (by its number; a line may hold a secret, so it is
 * never quoted).
 */
export function readEnvFiles(raw: RawRoster, base: PathBase, read: EnvFileReader | undefined): { readonly env: FileEnv; readonly issues: { path: PathSegment[]; message: string }[] } {
  const issues: { path: PathSegment[]; message: string }[] = [];
  const cache = new Map<string, Record<string, string> | null>();
  const varsOf = (settings: RawAgentSettings | undefined, at: PathSegment[]): Record<string, string> => {
    const entries = settings?.env_file === undefined ? [] : typeof settings.env_file === "string" ? [{ file: settings.env_file, path: at }] : settings.env_file.map((file, i) => ({ file, path: [...at, i] }));
    const out: Record<string, string> = {};
    for (const { file, path } of entries) {
      const tilde = tildeProblem(file);
      if (tilde !== undefined) {
        issues.push({ path, message: tilde });
        continue;
      }
      const resolved = resolveCwd(file, base);
      if (!cache.has(resolved)) cache.set(resolved, readOne(resolved, read, (message) => issues.push({ path, message })));
      Object.assign(out, cache.get(resolved) ?? {});
    }
    return out;
  };
  const defaults = varsOf(raw.defaults, ["defaults", "env_file"]);
  const agents = raw.agents.map((a, i) => varsOf(a, ["agents", i, "env_file"]));
  return { env: { defaults, agents }, issues };
}

function readOne(path: string, read: EnvFileReader | undefined, problem: (message: string) => void): Record<string, string> | null {
  if (read === undefined) {
    problem(`${path}: env_file is not read here (a roster given as text, not a file)`);
    return null;
  }
  const r = read(path, MAX_ENV_FILE_BYTES);
  if (!r.ok) {
    problem(`env_file ${path}: ${r.problem}`);
    return null;
  }
  const parsed = parseEnvFile(r.text);
  for (const p of parsed.problems) problem(`env_file ${path}:${p.line}: ${p.message}`);
  return parsed.problems.length > 0 ? null : parsed.vars;
}
