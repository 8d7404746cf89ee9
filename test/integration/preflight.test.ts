import { execa } from "execa";
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PREFLIGHT_STAGES } from "../../src/release/checklist.js";
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
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(PREFLIGHT_STAGES.map((s) => s.name));
    expect(report).toMatchObject({ interrupted: false, interruption: null, scratch: { kept: false, left: [] } });
    const evidence = Object.fromEntries(report.checks.map((c: { name: string; evidence: string }) => [c.name, c.evidence]));
    expect(evidence.package).toMatch(/framework\/tools\/tmux \(\d+ files\)/);
    expect(evidence.lifecycle).toMatch(/restart: .*\(every agent new, holder kept\); stop: no sessions left; .*start again: "No changes.", pids kept/);
    expect(evidence.verify).toContain("has-session -t =demo-alpha: yes");
    expect(evidence.message).toMatch(/the pane answered: \[demo-alpha\] received: .*preflight check [0-9a-f]{8}$/);
    expect(evidence.update).toMatch(/(sha256:[0-9a-f]{16}) before mosaic update, \1 after; mosaic update exit 0/);
    expect(report.dogfood).toEqual({ real: false, agent: "demo-alpha", command: null, answered: true });
    expect(r.stdout).not.toContain("PREFLIGHT");
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

  it("with --agent-command, asks that agent a question only reading the task answers, and says whether it did", async () => {
    // A stand-in for a real agent: it reads what is typed into its pane and answers the product asked for.
    const agent = join(home.path, "multiplier");
    writeFileSync(agent, `#!${process.execPath}\nrequire("node:readline").createInterface({ input: process.stdin }).on("line", (l) => { const m = /product of (\\d+) and (\\d+)/.exec(l); if (m) console.log("PREFLIGHT-" + m[1] * m[2]); });\n`);
    chmodSync(agent, 0o755);
    const r = await mosaic(["fleet", "preflight", "--agent-command", agent, "--timeout", "30"], env);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}message: agent send canary-pi "Preflight check [0-9a-f]{8}: reply with PREFLIGHT- followed by the product of (\d+) and (\d+), as digits, and nothing else\."; the pane answered: PREFLIGHT-\d+$/m);
    expect(r.stdout).toContain(`Real AI dogfood: agent canary-pi (${agent}) answered the task.`);
    // An agent that only echoes what it is sent does not pass.
    const echo = join(home.path, "parrot");
    writeFileSync(echo, `#!/bin/sh\nexec cat\n`);
    chmodSync(echo, 0o755);
    const parrot = await mosaic(["fleet", "preflight", "--agent-command", echo, "--timeout", "3"], env);
    expect(parrot.exitCode).toBe(1);
    expect(parrot.stdout).toMatch(/^FAIL {2}message: /m);
    expect(parrot.stdout).toContain("Real AI dogfood: not done");
    // A failed run cleans up as a passed one does: the fleet was up when the message failed.
    const [, scratchHome] = /scratch socket \S+ \(home (\S+)\)/.exec(parrot.stdout)!;
    expect(existsSync(dirname(scratchHome!))).toBe(false);
    expect(parrot.stdout).not.toContain("Left behind:");
    // Two whole preflights: the default 60 s bound was reached on a busy machine without anything hanging.
  }, 180_000);

  it("stopped by Ctrl+C, removes its scratch fleet, server and folder, and exits 130", async () => {
    const child = spawn(process.execPath, [join(repoRoot, "dist", "mosaic.js"), "fleet", "preflight"], { env: { ...env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    await expect.poll(() => err.includes("preflight: start, restart, stop, start, start..."), { timeout: 60_000 }).toBe(true);
    process.kill(-child.pid!, "SIGINT"); // the whole group, as a terminal does
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/^FAIL {2}interrupted: stopped by a signal \(SIGINT\) during lifecycle; /m);
    expect(out).toMatch(/^SKIP {2}lifecycle: not finished: SIGINT came during it$/m);
    expect(err).toContain("preflight: SIGINT during lifecycle: stopping; removing the scratch fleet...");
    const [, socket, home] = /scratch socket (\S+) \(home (\S+)\)/.exec(out)!;
    const scratch = dirname(home!);
    expect(existsSync(scratch)).toBe(false);
    const server = await execa("tmux", ["-L", socket!, "list-sessions"], { env: { TMUX_TMPDIR: join(scratch, "tmux"), PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    expect(server.exitCode).not.toBe(0);
  }, 120_000);
});
