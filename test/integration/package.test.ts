import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

/** What `npm pack` would put in the package, as a release's preflight sees it. */
let entries: { path: string; mode: number }[];
let files: string[];
beforeAll(async () => {
  // --ignore-scripts: `npm test` has built dist/ already; prepack would build it again.
  const r = await execa("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot });
  entries = JSON.parse(r.stdout)[0].files;
  files = entries.map((f) => f.path);
});

describe("npm package contents", () => {
  it("ships dist/ and framework/ and none of src/, test/ or fixtures/", () => {
    expect(files).toContain("dist/mosaic.js"); // the command (package.json's bin): the bundle
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("framework/fleet/roster.schema.json");
    expect(files).toContain("framework/fleet/examples/minimal.yaml");
    expect(files).toContain("framework/fleet/examples/local-canary.yaml");
    expect(files.filter((f) => /^(src|test|fixtures)\//.test(f))).toEqual([]);
    // The documents the README links to, which a user reads from the installed package.
    for (const doc of ["README.md", "SECURITY.md", "CHANGELOG.md"]) expect(files, doc).toContain(doc);
  });

  // The folders the systemd backend installs from, and the roster's schema and examples.
  it.each(["framework/fleet/", "framework/systemd/user/", "framework/tools/fleet/", "framework/tools/tmux/"])("ships files under %s", (dir) => {
    expect(files.filter((f) => f.startsWith(dir)).length, `${dir} in ${files.join(", ")}`).toBeGreaterThan(0);
  });

  it("ships every file of framework/ that git tracks", async () => {
    const tracked = (await execa("git", ["ls-files", "framework"], { cwd: repoRoot })).stdout.split("\n").filter(Boolean);
    expect(tracked.length).toBeGreaterThan(5);
    expect(tracked.filter((f) => !files.includes(f))).toEqual([]);
  });

  it("ships the tmux config, the units and the tools, the tools executable", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "framework/tools/tmux/mosaic.tmux.conf",
        "framework/tools/fleet/start-agent-session.sh",
        "framework/tools/fleet/stop-agent-session.sh",
        "framework/systemd/user/mosaic-tmux-holder.service",
        "framework/systemd/user/mosaic-agent@.service",
      ]),
    );
    const scripts = entries.filter((f) => f.path.startsWith("framework/tools/") && f.path.endsWith("-session.sh"));
    expect(scripts).toHaveLength(2);
    for (const t of scripts) expect(t.mode & 0o111, t.path).toBe(0o111);
  });
});
