import { UserError } from "../errors.js";

/** What each option's value is, shown wherever clipanion would print `#0`. */
export const VALUE_NAMES: Readonly<Record<string, string>> = {
  "--roster": "PATH",
  "--lock-timeout": "SECONDS",
  "--profile": "NAME",
  "--force-replace": "NAME",
  "--agent": "NAME",
  "--socket": "NAME",
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
