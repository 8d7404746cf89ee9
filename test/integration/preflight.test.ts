import { execa } from "execa";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mosaic, repoRoot, tempDir } from "../helpers/cli.js";

/**
 * `mosaic fleet preflight`: the brief's release checklist as one command,
 * run here from this checkout, and from a copy of it whose package lacks an
 * asset folder. npm installs from its own cache (filled by `npm ci`).
 */
describe("mosaic fleet preflight", () => {
  const home = tempDir("preflight");
  afterAll(() => home.cleanup());
  const env = { HOME: home.path, npm_config_cache: process.env.npm_config_cache ?? join(homedir(), ".npm"), npm_config_update_notifier: "false" };

  it("passes every check on this checkout, with the evidence, and leaves nothing behind", async () => {
    const r = await mosaic(["fleet", "preflight", "--json"], env);
    const report = JSON.parse(r.stdout);
    expect(report.checks.filter((c: { status: string }) => c.status !== "pass"), r.stdout).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(["package", "install", "roster", "lifecycle", "default tmux server", "verify", "message", "update"]);
    const evidence = Object.fromEntries(report.checks.map((c: { name: string; evidence: string }) => [c.name, c.evidence]));
    expect(evidence.package).toMatch(/framework\/tools\/tmux \(\d+ files\)/);
    expect(evidence.lifecycle).toMatch(/restart: .*\(every agent new, holder kept\); stop: no sessions left; .*start again: "No changes.", pids kept/);
    expect(evidence.verify).toContain("has-session -t =demo-alpha: yes");
    expect(evidence.message).toMatch(/the pane answered: \[demo-alpha\] received: .*preflight check [0-9a-f]{8}$/);
    expect(evidence.update).toMatch(/(sha256:[0-9a-f]{16}) before mosaic update, \1 after; mosaic update exit 0/);
    expect(report.dogfood).toEqual({ real: false, agent: "demo-alpha", command: null });
    expect(existsSync(report.scratch.dir)).toBe(false);
  });

  it("fails the package line, and skips the rest, when an asset folder is missing from the package", async () => {
    const copy = mkdtempSync(join(tmpdir(), "mosaic-package-copy-"));
    try {
      for (const part of ["package.json", "README.md", "dist", "framework"]) cpSync(join(repoRoot, part), join(copy, part), { recursive: true });
      rmSync(join(copy, "framework", "tools", "tmux"), { recursive: true });
      const r = await execa(process.execPath, [join(copy, "dist", "mosaic.js"), "fleet", "preflight"], { env: { ...env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false, cwd: copy });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toMatch(/^FAIL {2}package: npm pack --dry-run ships nothing under framework\/tools\/tmux: /m);
      expect(r.stdout).toMatch(/^SKIP {2}install: not run: a step it needs failed$/m);
      expect(r.stdout).toContain("Preflight failed: 0 passed, 1 failed, 7 skipped.");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
