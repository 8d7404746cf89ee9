import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

/**
 * No test waits a fixed time or bounds one with the wall clock: on a busy
 * machine a sleep "to let things settle" is too short and a "took under
 * 1000 ms" fails, and on a quiet one both hide what they should show. A
 * test waits for a state it can see (test/helpers/eventually.ts, or
 * `expect.poll` with a `timeout` that only bounds a hang) and counts work
 * instead of timing it; timings live in bench/. This reads every file
 * under test/ for the patterns that break that rule and names each
 * file:line.
 */

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

/** The poller: the one file that may read the clock and set a timer, to wait for a state. */
const POLLER = "test/helpers/eventually.ts";
/** This file, which names the patterns it looks for. */
const SELF = "test/unit/test-hygiene.test.ts";

/** A sleep this long (seconds) is a program that outlives any test (their timeout is 60 s), never a wait. */
const FOREVER_SECONDS = 600;

const TIME_WORDS = /\b(elapsed|duration|took|ms|millis(?:econds)?|secs?|seconds|timing|timed|wall)\b|Ms\b|\bDate\b|performance/;

const LINE_RULES: readonly { readonly rule: string; readonly poller: boolean; readonly matches: (line: string) => boolean }[] = [
  { rule: "reads the wall clock", poller: true, matches: (l) => /\bperformance\.now\s*\(|\bprocess\.hrtime\b|\bDate\.now\s*\(|\bnew Date\(\)\.getTime\s*\(|\bconsole\.time(?:End)?\s*\(/.test(l) },
  { rule: "sets a timer", poller: true, matches: (l) => /\bset(?:Timeout|Interval)\s*\(|["'](?:node:)?timers(?:\/promises)?["']/.test(l) },
  { rule: "sleeps a fixed time", poller: true, matches: (l) => /\b(?:sleep|delay|wait|pause)\s*\(\s*\d|\bwaitMs\b/.test(l) },
  { rule: "bounds a duration", poller: false, matches: (l) => /\.toBe(?:Less|Greater)Than(?:OrEqual)?\(/.test(l) && TIME_WORDS.test(l) },
  {
    rule: "sleeps a fixed time in a shell",
    poller: false,
    matches: (l) =>
      // `sleep N`, unless it is the body of a loop (`do sleep N`): a loop waits for its condition, a state.
      [...l.matchAll(/\bsleep\s+(\d+(?:\.\d+)?)(?![\d.])/g)].some((m) => Number(m[1]) < FOREVER_SECONDS && !/\bdo\s+$/.test(l.slice(0, m.index))) ||
      // ...and as an argument list: "sleep", "1" or command: "sleep", args: ["1"].
      [...l.matchAll(/["']sleep["']\s*,\s*(?:args:\s*)?\[?\s*["'](\d+(?:\.\d+)?)["']/g)].some((m) => Number(m[1]) < FOREVER_SECONDS),
  },
];

/** Every finding in one file's text. */
function findings(file: string, text: string): Finding[] {
  const lines = text.split("\n");
  const found: Finding[] = [];
  lines.forEach((l, i) => {
    for (const r of LINE_RULES) if ((r.poller ? file !== POLLER : true) && r.matches(l)) found.push({ file, line: i + 1, rule: r.rule, text: l.trim() });
  });
  // vitest's expect.poll gives up after 1 s unless told otherwise: a wall-clock bound a busy machine misses.
  for (const m of text.matchAll(/expect\s*\.poll\s*\(/g)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === "(") depth++;
      else if (text[end] === ")" && --depth === 0) break;
    }
    if (!/\btimeout\s*:/.test(text.slice(m.index, end))) {
      const line = text.slice(0, m.index).split("\n").length;
      found.push({ file, line, rule: "polls with expect.poll's 1 s default timeout", text: lines[line - 1]!.trim() });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/**
 * Programs a scenario runs, where a time is what the scenario is about (an
 * agent that lives a while, then dies), never a wait of the test's own.
 * Each entry: the file, a piece of the line, and why it is no wait.
 */
const ALLOWED: readonly { readonly file: string; readonly contains: string; readonly why: string }[] = [
  {
    file: "test/integration/plan-truth.test.ts",
    contains: '"sleep 1; exit 4"',
    why: "the agent under test dies a second after it starts: the readiness scenario itself (its 60 s ready_after_seconds lets the apply see that death however slow the machine)",
  },
  {
    file: "test/helpers/stand-in-model.mjs",
    contains: "Math.floor(Date.now() / 1000)",
    why: "the stand-in model stamps its replies' `created` field, as a model server does; it measures nothing",
  },
];

function testFiles(dir = join(repoRoot, "test")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return /\.(?:[cm]?[jt]s|sh)$/.test(e.name) ? [relative(repoRoot, path)] : [];
  });
}

describe("test hygiene: no fixed sleep and no wall-clock bound in any test", () => {
  const files = testFiles().filter((f) => f !== SELF);
  const all = files.flatMap((f) => findings(f, readFileSync(join(repoRoot, f), "utf8")));
  const allowed = (x: Finding) => ALLOWED.some((a) => a.file === x.file && x.text.includes(a.contains));

  it(`reads every test file (${files.length})`, () => {
    expect(files).toContain(POLLER);
    expect(files).toContain("test/integration/interrupts.test.ts");
    expect(files.length).toBeGreaterThan(80);
  });

  it("finds none outside the allow-list of scenario programs", () => {
    expect(all.filter((x) => !allowed(x)).map((x) => `${x.file}:${x.line}: ${x.rule}: ${x.text}`)).toEqual([]);
  });

  it("keeps no allow-list entry that nothing needs", () => {
    expect(ALLOWED.filter((a) => !all.some((x) => x.file === a.file && x.text.includes(a.contains))).map((a) => `${a.file}: ${a.contains}`)).toEqual([]);
  });

  it("catches the waits and bounds the suite once held, naming the line", () => {
    const sample = [
      "const start = performance.now();",
      "expect(Date.now() - at).toBeLessThan(3000);",
      "await new Promise((resolve) => setTimeout(resolve, 500));",
      "expect(ms).toBeLessThan(1000);",
      "const path = await w.wrappedTmuxPath('case \" $* \" in *\" new-session \"*) sleep 1;; esac');",
      'const crashed = { name: "crashed", command: "sh", args: ["-c", "sleep 1; exit 1"] };',
      'args: ["-c", \'(trap "" HUP; exec sleep 100000) >/dev/null 2>&1 & echo $! > "$1"; sleep 0.3; exit 3\', "sh", pidFile]',
      'const holder = execa("flock", [lockFile, "sleep", "30"]);',
      'w.writeRoster([{ name: "brief", command: "sleep", args: ["2"] }]);',
      "await expect.poll(() => existsSync(socket)).toBe(true);",
      "await delay(200);",
      'import { setTimeout as nap } from "node:timers/promises";',
      "const t0 = process.hrtime.bigint();",
      "expect(elapsedMs).toBeGreaterThanOrEqual(2000);",
    ].join("\n");
    expect(findings("test/x.test.ts", sample).map((x) => `${x.line}: ${x.rule}`)).toEqual([
      "1: reads the wall clock",
      "2: reads the wall clock",
      "2: bounds a duration",
      "3: sets a timer",
      "4: bounds a duration",
      "5: sleeps a fixed time in a shell",
      "6: sleeps a fixed time in a shell",
      "7: sleeps a fixed time in a shell",
      "8: sleeps a fixed time in a shell",
      "9: sleeps a fixed time in a shell",
      "10: polls with expect.poll's 1 s default timeout",
      "11: sleeps a fixed time",
      "12: sets a timer",
      "13: reads the wall clock",
      "14: bounds a duration",
    ]);
  });

  it("lets pass what waits for a state, counts work, or runs a program that never ends", () => {
    const sample = [
      "const stubborn = { command: \"sh\", args: [\"-c\", \"trap '' TERM; while :; do sleep 0.1; done\"] };",
      "const gate = `while [ ! -e '${go}' ]; do sleep 0.05; done`;",
      'const child = spawn("sleep", ["100000"]);',
      'w.writeRoster([{ name: "a" }], { defaults: { command: "sleep", args: ["1000"] } });',
      'const script = `"$0" fleet apply; echo "exit=$?"; sleep 600`;',
      "await expect.poll(screen, { timeout: 10_000 }).toContain(\"[y/N]\");",
      "await expect",
      "  .poll(async () => (await w.mosaic([\"fleet\", \"start\"])).stderr, { timeout: 10_000 })",
      "  .toMatch(/still running/);",
      "expect(h.observations()).toBeLessThan(30);",
      "const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };",
      "expect(work.reads).toBeLessThanOrEqual(10 * work.entries);",
    ].join("\n");
    expect(findings("test/x.test.ts", sample)).toEqual([]);
    // The poller alone may set its timer and read the clock.
    expect(findings(POLLER, "const deadline = Date.now() + hangAfterMs;\nawait new Promise((r) => setTimeout(r, 50));")).toEqual([]);
  });
});
