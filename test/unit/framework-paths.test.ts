import { statSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { frameworkPaths } from "../../src/framework.js";
import { PROFILES } from "../../src/roster/profiles.js";
import { repoRoot } from "../helpers/cli.js";

describe("frameworkPaths", () => {
  const named: [string, string][] = [
    ["rosterSchema", frameworkPaths.rosterSchema],
    ["tmuxConfig", frameworkPaths.tmuxConfig],
    ["demoAgent", frameworkPaths.demoAgent],
    ...PROFILES.map((p): [string, string] => [`example(${p})`, frameworkPaths.example(p)]),
  ];

  it("covers every path it names (a new one needs a row here)", () => {
    expect(Object.keys(frameworkPaths).sort()).toEqual(["demoAgent", "example", "rosterSchema", "tmuxConfig"]);
  });

  it.each(named)("%s is a shipped file", (_name, path) => {
    expect(relative(repoRoot, path).startsWith("framework/")).toBe(true);
    expect(statSync(path).isFile()).toBe(true);
  });
});
