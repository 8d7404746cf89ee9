import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../framework.js";

/** Where scripts/static-help.mjs writes the answers at build time. */
export const STATIC_ANSWERS_PATH = join(packageRoot, "dist", "static-help.json");

export interface StaticAnswers {
  readonly version: string;
  readonly help: { readonly plain: string; readonly colored: string };
}

/**
 * What `mosaic`, `mosaic -h`, `--help`, `-v` and `--version` print: the
 * same in every run of one build, so the build renders them with the very
 * CLI (scripts/static-help.mjs) and a run prints them without loading the
 * command table, which costs more than Node's own start. null for any other
 * command, and when the file is missing or unreadable: the CLI answers then.
 */
export function staticAnswer(args: readonly string[], colors: boolean): string | null {
  const [only, ...rest] = args;
  if (rest.length > 0) return null;
  const which = only === undefined || only === "-h" || only === "--help" ? "help" : only === "-v" || only === "--version" ? "version" : null;
  if (which === null) return null;
  let answers: StaticAnswers;
  try {
    answers = JSON.parse(readFileSync(STATIC_ANSWERS_PATH, "utf8")) as StaticAnswers;
  } catch {
    return null;
  }
  const text = which === "version" ? `${answers.version}\n` : colors ? answers.help.colored : answers.help.plain;
  return typeof text === "string" && text !== "" ? text : null;
}
