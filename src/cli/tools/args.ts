/** A usage mistake: exit status 2, with the tool's usage line. */
export class UsageError extends Error {}

/**
 * The shims' arguments, read as bash's getopts reads them: single-letter
 * options from `letters`, each taking a value (`-L sock` or `-Lsock`),
 * until `--` or the first word that is not an option; then `min` to `max`
 * positional arguments. Anything else is a usage error naming `usage`.
 */
export function parseToolArgs(args: readonly string[], letters: string, usage: string, min: number, max: number): { opts: Map<string, string>; positional: string[] } {
  const opts = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    const letter = a[1]!;
    if (!letters.includes(letter)) throw new UsageError(`usage: ${usage}`);
    const value = a.length > 2 ? a.slice(2) : args[++i];
    if (value === undefined) throw new UsageError(`usage: ${usage}`);
    opts.set(letter, value);
  }
  const positional = args.slice(i);
  if (positional.length < min || positional.length > max) throw new UsageError(`usage: ${usage}`);
  return { opts, positional: [...positional] };
}
