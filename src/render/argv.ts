/**
 * An argv list as a reader would type it. For display only: the product
 * never hands a string like this to a shell.
 */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteForDisplay).join(" ");
}

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e" };

/**
 * One value on one line: bare when it is safe to read, single-quoted when
 * it has spaces or shell characters, and ANSI-C quoted (`$'a\nb'`) when it
 * holds control characters, so a newline in a value never breaks a layout.
 */
export function quoteForDisplay(value: string): string {
  if (value !== "" && /^[A-Za-z0-9_@%+=:,./~-]+$/.test(value)) return value;
  if (/[\x00-\x1f\x7f]/.test(value)) {
    const body = value.replace(/[\\']/g, "\\$&").replace(/[\x00-\x1f\x7f]/g, (c) => C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
    return `$'${body}'`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
