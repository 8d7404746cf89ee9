import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useFleetWorld } from "../helpers/fleet-env.js";

/**
 * A roster's env values in no command's output: plans are mailed by cron,
 * kept in CI logs, pasted into reviews. Names are shown, and which value
 * changed; never a value.
 */
const SECRET = `sk-planted-${Math.random().toString(36).slice(2, 12)}`;
const ROTATED = `sk-rotated-${Math.random().toString(36).slice(2, 12)}`;
const FROM_FILE = `sk-from-file-${Math.random().toString(36).slice(2, 12)}`;

describe("a roster secret in no output", () => {
  const world = useFleetWorld();

  it("of any command, in text or JSON, through create, change, restart, reset and stop", async () => {
    const w = world();
    const plan = join(w.home.path, "reviewed.plan");
    writeFileSync(join(w.home.path, "beta.env"), `ANTHROPIC_API_KEY=${FROM_FILE}\n`, { mode: 0o600 });
    const agents = (key: string) => [{ name: "alpha", env: { OPENAI_API_KEY: key, REGION: "eu-west-1" } }, { name: "beta", env_file: "beta.env" }];
    w.writeRoster(agents(SECRET));
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await w.mosaic(args);
      outputs.push(`$ mosaic ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
      return r;
    };

    await run(["fleet", "plan"]);
    await run(["fleet", "plan", "--json"]);
    await run(["fleet", "plan", "--out", plan]);
    await run(["fleet", "show", plan]);
    await run(["fleet", "show", plan, "--json"]);
    await run(["fleet", "apply", plan]);
    for (const args of [["fleet", "status"], ["fleet", "status", "--json"], ["fleet", "verify"], ["fleet", "verify", "--json"], ["agent", "status", "alpha"], ["agent", "status", "--json"], ["agent", "roster"], ["agent", "roster", "--json"]]) await run(args);
    await run(["fleet", "restart"]);
    await run(["agent", "reset", "alpha"]);

    // A rotated key: the plan says the value changed, and shows neither.
    w.writeRoster(agents(ROTATED));
    const changed = await run(["fleet", "plan"]);
    expect(changed.stdout, changed.stderr).toContain("env.OPENAI_API_KEY");
    const json = JSON.parse((await run(["fleet", "plan", "--json"])).stdout);
    const alpha = json.resource_changes.find((c: { address: string }) => c.address === 'tmux.session["alpha"]');
    expect(alpha.changed_fields).toEqual(["env.OPENAI_API_KEY"]);
    expect(alpha.after.env_keys).toEqual(expect.arrayContaining(["OPENAI_API_KEY", "REGION"]));
    await run(["fleet", "plan", "--quiet", "--detailed-exitcode"]);
    await run(["fleet", "apply", "--auto-approve"]);
    await run(["fleet", "stop"]);

    const all = outputs.join("\n");
    expect(all).toContain("OPENAI_API_KEY"); // the names are shown
    expect(all).toContain("ANTHROPIC_API_KEY");
    for (const value of [SECRET, ROTATED, FROM_FILE, "eu-west-1"]) expect(all, `a value in:\n${all}`).not.toContain(value);
  });
});
