import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

describe("npm package contents", () => {
  it("ships dist/ and framework/ and none of src/, test/ or fixtures/", async () => {
    const r = await execa("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot });
    const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("framework/fleet/roster.schema.json");
    expect(files).toContain("framework/fleet/examples/minimal.yaml");
    expect(files).toContain("framework/fleet/examples/local-canary.yaml");
    expect(files.filter((f) => /^(src|test|fixtures)\//.test(f))).toEqual([]);
  });
});
