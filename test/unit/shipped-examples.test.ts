import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

const examplesDir = join(repoRoot, "framework", "fleet", "examples");
const schema = JSON.parse(readFileSync(join(repoRoot, "framework", "fleet", "roster.schema.json"), "utf8"));

describe("shipped examples", () => {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

  it.each(readdirSync(examplesDir).filter((f) => f.endsWith(".yaml")))("%s validates against the shipped schema", (file) => {
    const text = readFileSync(join(examplesDir, file), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../roster.schema.json");
    const ok = validate(parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the minimal example runs canary-pi with pi, local-canary adds more agents", () => {
    const minimal = parse(readFileSync(join(examplesDir, "minimal.yaml"), "utf8"));
    expect(minimal.agents).toEqual([expect.objectContaining({ name: "canary-pi", command: "pi" })]);
    const canary = parse(readFileSync(join(examplesDir, "local-canary.yaml"), "utf8"));
    expect(canary.agents.map((a: { name: string }) => a.name)).toContain("canary-pi");
    expect(canary.agents.length).toBeGreaterThanOrEqual(3);
  });
});
