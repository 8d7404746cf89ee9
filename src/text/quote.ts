import { escapeRisky, hasRiskyCharacters } from "./safe-text.js";

/**
 * One value on one line: bare when it is safe to read, single-quoted when
 * it has spaces or shell characters, and ANSI-C quoted (`$'a\nb'`) when it
 * holds control or bidi characters, so a value never breaks a layout or
 * paints over what is around it. For display only: the product never hands
 * a string like this to a shell.
 */
export function quoteForDisplay(value: string): string {
  if (value !== "" && /^[A-Za-z0-9_@%+=:,./~-]+$/.test(value)) return value;
  if (hasRiskyCharacters(value)) return `$'${escapeRisky(value.replace(/[\\']/g, "\\$&"))}'`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
