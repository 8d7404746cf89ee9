import { reservedEnvProblem } from "./env-names.js";

/** How the parser reads an env_file: its text, or why it may not be used (adapters/private-file.ts). */
export type EnvFileReader = (path: string, maxBytes: number) => { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/** No env_file is bigger; a bigger file is a wrong path. */
export const MAX_ENV_FILE_BYTES = 1 << 20;

/** An env_file's problem at a line; it never quotes the line, which may hold a secret. */
export interface EnvFileProblem {
  readonly line: number;
  readonly message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An `env_file`'s text as variables, docker compose's convention: one
 * `KEY=value` per line; blank lines and lines starting with `#` skipped; the
 * value is everything after the first `=`, as written, less one pair of
 * matching surrounding quotes (no escapes, no `$` expansion: what the file
 * says is what the agent gets). A later line wins over an earlier one.
 */
export function parseEnvFile(text: string): { readonly vars: Record<string, string>; readonly problems: readonly EnvFileProblem[] } {
  const vars: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trimStart();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      problems.push({ line: i + 1, message: "is not KEY=value (a name of letters, digits and '_', not starting with a digit, then '=')" });
      return;
    }
    const reserved = reservedEnvProblem(name);
    if (reserved !== undefined) {
      problems.push({ line: i + 1, message: `${name} ${reserved}` });
      return;
    }
    const value = unquoted(line.slice(eq + 1));
    if (value.includes("\0")) {
      problems.push({ line: i + 1, message: `the value of ${name} contains a NUL byte, which no environment value can hold` });
      return;
    }
    vars[name] = value;
  });
  return { vars, problems };
}

function unquoted(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q) ? value.slice(1, -1) : value;
}
