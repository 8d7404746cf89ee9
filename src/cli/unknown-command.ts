/**
 * What to say when the words of a command line name no command: the
 * words that were taken for a command, and the nearest one to run
 * instead. Pure: the CLI gives it the registered command paths.
 */

/** Commands people reach for by another name (other tools' words, or a per-agent form of a fleet command). */
const OTHER_NAMES: Readonly<Record<string, readonly string[]>> = {
  "agent logs": ["agent", "tail"],
  "agent log": ["agent", "tail"],
  "agent stop": ["fleet", "stop", "--agent"],
  "agent start": ["fleet", "start", "--agent"],
  "agent restart": ["fleet", "restart", "--agent"],
  "fleet logs": ["agent", "tail"],
  "fleet log": ["agent", "tail"],
  "fleet tail": ["agent", "tail"],
  "fleet send": ["agent", "send"],
  "fleet reset": ["agent", "reset"],
  "fleet down": ["fleet", "stop"],
  "fleet up": ["fleet", "start"],
  logs: ["agent", "tail"],
  ps: ["fleet", "status"],
  ls: ["agent", "roster"],
  up: ["fleet", "start"],
  down: ["fleet", "stop"],
};

export interface UnknownCommand {
  /** The words taken for a command: `mosaic agent logs` for `mosaic agent logs X`. */
  readonly tried: readonly string[];
  /** The command line to run instead, with the user's other arguments; null when nothing is near. */
  readonly suggestion: string | null;
}

/**
 * null when the words start with a registered command (its own parser
 * says what is wrong with the rest) or there are no words; otherwise what
 * was tried and the nearest command. `groups` are the first words that
 * take a command after them (fleet, agent).
 */
export function unknownCommand(args: readonly string[], paths: readonly (readonly string[])[], groups: readonly string[]): UnknownCommand | null {
  const firstOption = args.findIndex((a) => a.startsWith("-"));
  const words = firstOption === -1 ? args : args.slice(0, firstOption);
  if (words.length === 0) return null;
  if (paths.some((p) => p.length > 0 && p.every((w, i) => words[i] === w))) return null;
  const tried = groups.includes(words[0]!) && words.length > 1 ? words.slice(0, 2) : words.slice(0, 1);
  if (tried.length === 1 && groups.includes(tried[0]!)) return null;
  const rest = args.slice(tried.length);
  const known = new Set(paths.map((p) => p.join(" ")));
  const instead = nearest(tried, paths, groups, known);
  return { tried, suggestion: instead === null ? null : ["mosaic", ...spliceAgent(instead, rest)].join(" ") };
}

/** `fleet stop --agent` takes the agent named after the unknown command: `--agent X`, not `X` at the end. */
function spliceAgent(instead: readonly string[], rest: readonly string[]): string[] {
  if (instead.at(-1) === "--agent") return rest.length > 0 && !rest[0]!.startsWith("-") ? [...instead, ...rest] : [...instead, "NAME", ...rest];
  return [...instead, ...rest];
}

function nearest(tried: readonly string[], paths: readonly (readonly string[])[], groups: readonly string[], known: ReadonlySet<string>): readonly string[] | null {
  const other = OTHER_NAMES[tried.join(" ")];
  if (other !== undefined && known.has(other.filter((w) => !w.startsWith("-")).join(" "))) return other;
  const last = tried.at(-1)!;
  // A command's own name without its group, or under the other group: `mosaic attach` → `mosaic agent attach`;
  // where both groups have it (status), the fleet's, registered first.
  const byName = paths.find((p) => p.length > 1 && p.at(-1) === last);
  if (byName !== undefined) return byName;
  // A misspelling of the word, among those that can stand there, if near enough to be what was meant.
  const choices = tried.length === 2 ? paths.filter((p) => p.length === 2 && p[0] === tried[0]).map((p) => p[1]!) : [...groups, ...paths.filter((p) => p.length === 1).map((p) => p[0]!)];
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(last.length / 3)) + 1;
  for (const c of choices) {
    const d = distance(last, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best === null) return null;
  return tried.length === 2 ? [tried[0]!, best] : [best];
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The error's lines: what was tried, the nearest command, and where the list is. */
export function unknownCommandLines(u: UnknownCommand, red: (s: string) => string): string[] {
  const group = u.tried.length === 2 ? `mosaic ${u.tried[0]} --help` : "mosaic --help";
  return [`${red("error:")} no command "mosaic ${u.tried.join(" ")}"`, ...(u.suggestion === null ? [] : [`Did you mean: ${u.suggestion}`]), `Run \`${group}\` for the list of commands.`];
}
