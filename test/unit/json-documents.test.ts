import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FORMAT_VERSIONS, jsonDocument } from "../../src/formats.js";
import { plan } from "../../src/plan/plan.js";
import { savePlan } from "../../src/plan/saved-plan.js";
import { planJson } from "../../src/render/plan-json.js";
import { rosterJson } from "../../src/render/roster-json.js";
import { statusJson } from "../../src/render/status-text.js";
import { repoRoot } from "../helpers/cli.js";
import { loadPlanCases } from "../helpers/plan-fixtures.js";

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

describe("one table of format versions, stamped in one place", () => {
  it("no source file but src/formats.ts writes a version of a document", () => {
    const writes = /format_version["'`]?\s*[: ]\s*["'`]?\d|mosaic-saved-plan\/\d/;
    const offenders = sources(join(repoRoot, "src"))
      .filter((f) => relative(repoRoot, f) !== join("src", "formats.ts"))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").map((line, i) => [`${relative(repoRoot, f)}:${i + 1}`, line] as const))
      .filter(([, line]) => writes.test(line))
      .map(([at, line]) => `${at}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it("every document begins with its kind's version", async () => {
    const c = (await loadPlanCases()).find((x) => x.name === "converged")!;
    const p = plan(c.desired, c.observed, c.intent, c.settings);
    const documents: [keyof typeof FORMAT_VERSIONS, object][] = [
      ["plan", planJson(p)],
      ["saved-plan", savePlan(p, c.desired, c.observed, { mosaicVersion: "0", now: new Date(0), backendChoice: "auto", id: "0".repeat(32), key: Buffer.alloc(32, 1) })],
      ["status", statusJson("fleet", [])],
      ["roster", rosterJson(c.desired)],
      ["error", jsonDocument("error", { error: { message: "m", hints: [] } })],
    ];
    for (const [kind, doc] of documents) expect(Object.entries(doc)[0], kind).toEqual(["format_version", FORMAT_VERSIONS[kind]]);
  });

  it("the README's table is the code's", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### JSON documents"));
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| .* \| `([^`]+)` \|$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(FORMAT_VERSIONS);
  });
});
