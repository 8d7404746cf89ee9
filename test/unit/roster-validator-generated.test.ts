import { execa } from "execa";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

describe("the roster validator compiled at build time", () => {
  it("is what the shipped schema makes, so the two never drift apart", async () => {
    const r = await execa(process.execPath, [join(repoRoot, "scripts", "roster-validator.mjs"), "--check"], { cwd: repoRoot, reject: false });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });
});
