import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paneOf, waitForPane } from "../helpers/echo-agents.js";
import { useFleetWorld } from "../helpers/fleet-env.js";
import { configurePi, installPi, PI_READY, startStandInModel, type StandInModel } from "../helpers/pi.js";

/**
 * Delivery into a real agent TUI, not only the echo agent: pi, the brief's
 * canary-pi, from the npm registry, talking to a stand-in model on
 * localhost. Skips, loudly, where the package cannot be installed.
 */
describe("messages to a real pi TUI", () => {
  const world = useFleetWorld();
  let pi: Awaited<ReturnType<typeof installPi>>;

  beforeAll(async () => {
    pi = await installPi();
    if ("skip" in pi) console.warn(`\n*** SKIPPING the pi TUI tests: ${pi.skip}\n`);
  }, 300_000);

  let model: StandInModel | undefined;
  afterAll(async () => {
    await model?.stop();
  });

  it("answers each message exactly once, hostile and 3,000-character ones included", async (ctx) => {
    if ("skip" in pi) return ctx.skip();
    const w = world();
    const log = join(w.home.path, "model.log");
    model = await startStandInModel(log);
    configurePi(w.home.path, model.port);
    const work = join(w.home.path, "work");
    mkdirSync(work);
    w.writeRoster([
      {
        name: "canary-pi",
        command: pi.bin,
        args: ["--provider", "standin", "--model", "stand-in"],
        resume_args: ["--continue"],
        env: { PI_OFFLINE: "1" },
        submit: { settle_ms: 100 },
        cwd: work,
      },
    ]);
    await w.ok(["fleet", "apply", "--auto-approve", "--backend", "direct"]);
    await waitForPane(w, await paneOf(w, "canary-pi"), PI_READY, 30_000);

    const bang = join(w.home.path, "bang");
    const canary = join(w.home.path, "canary");
    const long = Array.from({ length: 30 }, (_, i) => `line ${String(i).padStart(2, "0")}: ${"quick brown fox; $(jumps) `over` ".repeat(3)}`).join("\n").slice(0, 3000);
    const messages = [
      "status check",
      `she said "hi"; $(touch ${canary}) and \`touch ${canary}\` 'quoted';`,
      "-leading dash, then the words Enter and C-c and Escape",
      "unicode: Grüße 日本語 🚀 café",
      "two lines\n\twith a tab",
      `!touch ${bang}`, // pi runs a message that starts with `!` as a shell command; the header keeps it a message
      "/quit",
      long,
    ];
    for (const [i, m] of messages.entries()) {
      const r = await w.ok(["agent", "send", "canary-pi", `--message=${m}`, "--wait-for", `ANSWER ${i + 1}: `, "--timeout", "30"]);
      expect(r.stdout).toContain(`ANSWER ${i + 1}: [from ${hostname()}:operator]`);
    }

    // pi turns a tab into four spaces; everything else arrives as typed, each message once.
    const got = readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
    expect(got).toEqual(messages.map((m) => `[from ${hostname()}:operator] ${m.replaceAll("\t", "    ")}`));
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(bang)).toBe(false);

    const tail = await w.ok(["agent", "tail", "canary-pi", "-n", "80"]);
    expect(tail.stdout).toContain(`ANSWER ${messages.length}: `);
  }, 240_000);
});
