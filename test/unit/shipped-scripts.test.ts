import { execa } from "execa";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? scripts(path) : name.endsWith(".sh") ? [path] : [];
  });
}

const shipped = scripts(join(repoRoot, "framework"));

describe("the shipped shell scripts", () => {
  it("exist", () => {
    expect(shipped.length).toBeGreaterThan(0);
  });

  it.each(shipped.map((p) => [p.slice(repoRoot.length + 1), p]))("%s is shellcheck-clean, and executable if it is a program", async (_name, path) => {
    // -x follows what a script sources from its own folder (SCRIPTDIR), so a library is checked with its callers.
    const r = await execa("shellcheck", ["-x", "--severity=style", path], { reject: false });
    expect(r.exitCode, `${r.stdout}${r.stderr}\n(shellcheck comes with scripts/install-deps.sh)`).toBe(0);
    const program = readFileSync(path, "utf8").startsWith("#!");
    expect(statSync(path).mode & 0o111).toBe(program ? 0o111 : 0);
  });

  it("run no tmux, systemctl or signal themselves: the tools are shims whose one exec line runs mosaic's session tool", () => {
    const tools = shipped.filter((p) => p.includes(`${join("framework", "tools")}/`));
    expect(tools.length).toBeGreaterThan(0);
    for (const path of tools) {
      const code = readFileSync(path, "utf8").split("\n").filter((l) => !/^\s*#/.test(l));
      const name = path.slice(repoRoot.length + 1);
      expect(code.filter((l) => /\b(tmux|systemctl|kill|pgrep|flock)\b/.test(l)), name).toEqual([]);
      const execs = code.filter((l) => /(^|\s)exec\s/.test(l));
      if (name.endsWith("exec-tool.sh")) expect(execs, name).toEqual(['  exec "$node" -- "$lib/mosaic-session.mjs" "$@"']);
      else expect(execs, name).toEqual([]);
    }
  });

  it.each([
    ["a folder", "/usr"],
    ["a path with a trailing space", `${process.execPath} `],
    ["nothing at all", "/nonexistent/node"],
  ])("refuse, naming mosaic update, when the node recorded at install is %s", async (_what, recorded) => {
    const tools = mkdtempSync(join(tmpdir(), "mosaic-tools-"));
    try {
      cpSync(join(repoRoot, "framework", "tools"), tools, { recursive: true });
      writeFileSync(join(tools, "lib", "node-path"), `${recorded}\n`);
      const r = await execa(join(tools, "fleet", "start-agent-session.sh"), ["alpha", tools], { reject: false });
      expect([r.exitCode, r.stderr]).toEqual([1, expect.stringContaining("run: mosaic update")]);
    } finally {
      rmSync(tools, { recursive: true, force: true });
    }
  });
});
