import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

describe("npm package contents", () => {
  it("ships dist/ and framework/ and none of src/, test/ or fixtures/", async () => {
    const r = await execa("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot });
    const entries: { path: string; mode: number }[] = JSON.parse(r.stdout)[0].files;
    const files = entries.map((f) => f.path);
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("framework/fleet/roster.schema.json");
    expect(files).toContain("framework/fleet/examples/minimal.yaml");
    expect(files).toContain("framework/fleet/examples/local-canary.yaml");
    expect(files.filter((f) => /^(src|test|fixtures)\//.test(f))).toEqual([]);
  });

  it("ships the tools executable", async () => {
    const r = await execa("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot });
    const entries: { path: string; mode: number }[] = JSON.parse(r.stdout)[0].files;
    const tools = entries.filter((f) => f.path.startsWith("framework/tools/"));
    expect(tools.map((f) => f.path)).toEqual(expect.arrayContaining(["framework/tools/fleet/start-agent-session.sh", "framework/tools/fleet/stop-agent-session.sh"]));
    expect(entries.map((f) => f.path)).toEqual(expect.arrayContaining(["framework/systemd/user/mosaic-tmux-holder.service", "framework/systemd/user/mosaic-agent@.service"]));
    for (const t of tools.filter((f) => f.path.endsWith("-session.sh"))) expect(t.mode & 0o111, t.path).toBe(0o111);
  });
});
