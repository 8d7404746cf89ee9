/**
 * An argv list as a reader would type it. For display only: the product
 * never hands a string like this to a shell.
 */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteForDisplay).join(" ");
}

function quoteForDisplay(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./~-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
