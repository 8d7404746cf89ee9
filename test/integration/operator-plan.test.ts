import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd --user tests need a user manager in a mount namespace: ${why}`);

/**
 * The operator's day: eight agents over three project folders under
 * systemd, then three added and two removed. The plan speaks of agents:
 * a headline naming each, a few lines per agent, not every unit, launch
 * file and tool call; `--json` keeps all of it.
 */
describe.skipIf(why !== null)("a plan an operator reads, under systemd", () => {
  const box = new SystemdSandbox();
  const home = () => box.env.HOME!;
  const roster = () => join(home(), "roster.yaml");
  const sh = async (line: string) => {
    const r = await box.run(["sh", "-c", line]);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const projects = ["shop", "docs", "infra"];
  const write = (names: string[]) =>
    writeFileSync(roster(), JSON.stringify({ socket: "operator", backend: "systemd", defaults: { command: "sleep", args: ["100000"], stop_grace_seconds: 1, ready_after_seconds: 0 }, agents: names.map((name) => ({ name, cwd: join(home(), name.split("-")[0]!) })) }));
  const first = ["shop-pi", "shop-claude", "shop-codex", "docs-pi", "docs-codex", "docs-reviewer", "infra-pi", "infra-claude"];

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    for (const p of projects) mkdirSync(join(home(), p));
    write(first);
    await sh(`mosaic fleet install-systemd --reload --roster ${roster()}`);
    await sh(`mosaic fleet start --roster ${roster()}`);
  });
  afterAll(() => box.dispose());

  it("adding three agents and removing two: one headline per agent, at most three lines each, the agents counted first; --json keeps every resource", async () => {
    const added = ["shop-tests", "docs-editor", "infra-ops"];
    const removed = ["docs-codex", "infra-claude"];
    write([...first.filter((n) => !removed.includes(n)), ...added]);
    const plan = await box.run(["sh", "-c", `mosaic fleet plan --detailed-exitcode --roster ${roster()}`]);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(2);
    const lines = plan.stdout.split("\n");
    for (const name of added) expect(lines.filter((l) => new RegExp(`^  \\+ ${name} +start: no session yet$`).test(l)), name).toHaveLength(1);
    for (const name of removed) expect(lines.filter((l) => new RegExp(`^  - ${name} +stop and remove: no longer in the roster$`).test(l)), name).toHaveLength(1);
    // Five agents change: three lines each at most, and a dozen lines of frame (header, footer, the fleet's own).
    expect(lines.length, plan.stdout).toBeLessThanOrEqual(5 * 3 + 12);
    expect(plan.stdout).toContain("Agents: 3 to start, 2 to stop and remove.\nPlan: ");
    expect(plan.stdout).not.toMatch(/run: |systemctl --user|tmux new-session/);

    // Every resource, with its tool calls, a flag away; and --json is the same document either way.
    const detailed = await box.run(["sh", "-c", `mosaic fleet plan --detailed --roster ${roster()}`]);
    for (const name of added) expect(detailed.stdout).toContain(`# tmux.session["${name}"] will be created`);
    expect(detailed.stdout).toContain("systemctl --user");
    const json = await sh(`mosaic fleet plan --json --roster ${roster()}`);
    const detailedJson = await sh(`mosaic fleet plan --json --detailed --roster ${roster()}`);
    expect(json.stdout).toBe(detailedJson.stdout);
    const doc = JSON.parse(json.stdout) as { resource_changes: { address: string; action: string }[] };
    for (const name of added) {
      for (const address of [`tmux.session["${name}"]`, `systemd.unit["mosaic-agent@${name}.service"]`]) expect(doc.resource_changes.some((c) => c.address === address && c.action !== "noop"), address).toBe(true);
    }

    await sh(`mosaic fleet apply --auto-approve --roster ${roster()}`);
    const after = await box.run(["sh", "-c", `mosaic fleet plan --detailed-exitcode --roster ${roster()}`]);
    expect(after.exitCode, after.stdout).toBe(0);
  });
});
