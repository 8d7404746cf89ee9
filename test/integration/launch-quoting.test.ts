import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * A launch reaches tmux as a command line in tmux's own syntax on its stdin
 * (so no value is on any argv): every value must arrive byte for byte,
 * whatever tmux's parser would make of it unquoted.
 */
const HOSTILE = [
  "it's",
  `"double" and 'single' and '"'"'`,
  "$HOME ${HOME} ~ ~root",
  "a;b ; c \\; d;",
  "#{pane_id} #[fg=red] ##",
  "%if 1\n%endif",
  "{ braces }",
  "back\\slash\\",
  "line one\nline two\r\n",
  "tab\there",
  "\x1b[2J\x1b]0;title\x07",
  "ünïcødé 🚀 \u200b",
  " leading and trailing ",
  "",
];

describe("a launch's values reach the agent exactly", () => {
  const world = useFleetWorld();

  it("in its environment, its arguments and its working directory", async () => {
    const w = world();
    const cwd = join(w.home.path, "it's a $dir; ~ \\ #{x} ## #");
    mkdirSync(cwd);
    const env = Object.fromEntries(HOSTILE.map((v, i) => [`V${i}`, v]));
    // sh stays the pane's process (its command is not its last), so its argv is the agent's.
    w.writeRoster([{ name: "alpha", command: "sh", args: ["-c", "sleep 100000; :", "agent", ...HOSTILE], env, cwd }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);

    const pid = (await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_pid}"])).stdout.trim();
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);
    expect(argv.slice(-HOSTILE.length)).toEqual(HOSTILE);
    const environ = new Map(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    HOSTILE.forEach((v, i) => expect(environ.get(`V${i}`), `V${i}`).toBe(v));
    expect((await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_current_path}"])).stdout).toBe(cwd);
    // Applied as it was planned: nothing left to change.
    expect((await w.mosaic(["fleet", "plan", "--detailed-exitcode"])).exitCode).toBe(0);
  });
});

describe("a long launch", () => {
  const world = useFleetWorld();

  it("passes a 100 KB argument and environment value whole (tmux's 16 KB command cap does not apply on stdin), and refuses at plan what Linux cannot pass", async () => {
    const w = world();
    // A long system prompt, as agents take: well past tmux's command-line cap, under Linux's per-string limit.
    const prompt = "p".repeat(100_000);
    w.writeRoster([{ name: "alpha", command: "sh", args: ["-c", "sleep 100000; :", "agent", prompt], env: { PROMPT: prompt } }]);
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const pid = (await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_pid}"])).stdout.trim();
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").at(-2)).toBe(prompt);
    expect(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")).toContain(`PROMPT=${prompt}`);

    // One byte past what execve takes in one string: refused by name before anything changes.
    w.writeRoster([{ name: "alpha", command: "sh", args: ["-c", "sleep 100000; :", "agent", "p".repeat(131_072)] }]);
    const r = await w.mosaic(["fleet", "apply", "--auto-approve"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toContain("alpha: one of its arguments or environment values is 131072 bytes; Linux passes at most 131071 in one.");
    expect((await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_pid}"])).stdout.trim()).toBe(pid);
  });
});
