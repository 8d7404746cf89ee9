import { UserError } from "../errors.js";
import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from "../roster/types.js";

/** What each option's value is, shown wherever clipanion would print `#0`. */
export const VALUE_NAMES: Readonly<Record<string, string>> = {
  "--roster": "PATH",
  "--lock-timeout": "SECONDS",
  "--profile": "NAME",
  "--force-replace": "NAME",
  "--agent": "NAME",
  "--socket": "NAME",
  "--backend": "BACKEND",
  "--message": "TEXT",
  "-m": "TEXT",
  "--file": "FILE",
  "--source-label": "LABEL",
  "--source": "LABEL",
  "--wait-for": "REGEX",
  "--timeout": "SECONDS",
  "-n": "LINES",
  "--lines": "LINES",
};

/**
 * clipanion names every option value by its position (`--roster #0`) in
 * usage lines, option tables and the usage printed after an error. Give each
 * its name from VALUE_NAMES, or VALUE for an option not listed there yet.
 */
export function nameOptionValues(usage: string): string {
  return usage.replace(/(-{1,2}[A-Za-z][\w-]*)((?: #\d+)+)/g, (_all, name: string, values: string) => `${name}${values.replace(/#\d+/g, VALUE_NAMES[name] ?? "VALUE")}`);
}

/**
 * A plain non-negative decimal number of seconds: `0`, `5`, `2.5`. Number()
 * alone would also take "" and " " (as 0), "1e3", "0x10" and " 5".
 */
export function parseSeconds(flag: string, text: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw new UserError(`${flag} takes a plain number of seconds, like 0, 5 or 2.5; got ${JSON.stringify(text)}`);
  return Number(text);
}

/** One of the roster's `backend` values, exactly as the roster spells it (no other case, no spaces). */
export function parseBackendChoice(flag: string, text: string): BackendChoice {
  if (!isBackendChoice(text)) throw new UserError(`${flag} takes ${BACKEND_CHOICES.slice(0, -1).join(", ")} or ${BACKEND_CHOICES.at(-1)}; got ${JSON.stringify(text)}`);
  return text;
}

/** The backend a run uses: `--backend` when given (checked), else the roster's `backend`. */
export function resolveBackendChoice(option: string | undefined, desired: { readonly backend: BackendChoice }): BackendChoice {
  return option === undefined ? desired.backend : parseBackendChoice("--backend", option);
}
