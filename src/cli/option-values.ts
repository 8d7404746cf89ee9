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

/** Options whose value is free text: what follows them is their value, whatever it starts with. */
const TEXT_OPTIONS: Readonly<Record<string, readonly string[]>> = { "agent send": ["-m", "--message"] };

/**
 * clipanion reads an argument starting with `-` as the next option, so
 * `agent send NAME -m "- fix the tests"` (a markdown list, which is what
 * people send agents) failed with "Not enough arguments to option -m".
 * For a command's free-text options the next argument is bound to the
 * option (`--message=VALUE`), as a user means it. Nothing after `--` is
 * touched, and an option with nothing after it stays as it is, for
 * clipanion's own error.
 */
export function bindTextOptions(args: readonly string[]): string[] {
  const options = TEXT_OPTIONS[args.slice(0, 2).join(" ")];
  if (options === undefined) return [...args];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return [...out, ...args.slice(i)];
    if (options.includes(arg) && i + 1 < args.length) {
      out.push(`${arg.startsWith("--") ? arg : options.find((o) => o.startsWith("--"))}=${args[++i]}`);
      continue;
    }
    out.push(arg);
  }
  return out;
}
