import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every command path a command file registers: `static override paths = [["fleet", "plan"]]`. */
const registered = new Set(
  files(join(repoRoot, "src", "cli")).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/\[\s*"(fleet|agent)",\s*"([a-z-]+)"\s*\]/g)].map((m) => `${m[1]} ${m[2]}`)),
);

describe("the shipped files", () => {
  it("mention only mosaic commands that exist", () => {
    const mentioned = files(join(repoRoot, "framework")).flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/mosaic (fleet|agent) ([a-z-]+)/g)].map((m) => ({ file: f.slice(repoRoot.length + 1), command: `${m[1]} ${m[2]}` })),
    );
    expect(mentioned.length).toBeGreaterThan(3);
    expect(mentioned.filter((m) => !registered.has(m.command))).toEqual([]);
  });
});
