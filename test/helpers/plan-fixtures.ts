import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ObservedFleet } from "../../src/observe/types.js";
import { HOLDER_SPEC_HASH } from "../../src/plan/holder.js";
import { ROSTER_INTENT, type PlanIntent } from "../../src/plan/types.js";
import { parseRoster } from "../../src/roster/parse.js";
import { rosterValidator } from "../../src/roster/schema.js";
import type { DesiredFleet } from "../../src/roster/types.js";
import { repoRoot } from "./cli.js";

export const planCasesDir = join(repoRoot, "fixtures", "plan");

export interface PlanCase {
  readonly name: string;
  readonly dir: string;
  readonly desired: DesiredFleet;
  readonly observed: ObservedFleet;
  readonly intent: PlanIntent;
  readonly expected: string[];
}

export async function loadPlanCases(): Promise<PlanCase[]> {
  const validate = await rosterValidator();
  return readdirSync(planCasesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = join(planCasesDir, name);
      const read = (f: string) => readFileSync(join(dir, f), "utf8");
      const desired = parseRoster({ path: "/fleet/roster.yaml", display: `${name}/roster.yaml`, text: read("roster.yaml") }, { validate, home: "/home/op" });
      const hashes = new Map<string, string>([["_holder", HOLDER_SPEC_HASH], ...desired.agents.map((a) => [a.name, a.specHash] as [string, string])]);
      const observed = JSON.parse(read("observed.json"), (key, value) =>
        key === "specHash" && typeof value === "string" && value.startsWith("@spec:") ? hashes.get(value.slice(6)) : value,
      ) as ObservedFleet;
      const intent = existsSync(join(dir, "intent.json")) ? (JSON.parse(read("intent.json")) as PlanIntent) : ROSTER_INTENT;
      const expected = read("expected.txt").split("\n").filter((l) => l !== "");
      return { name, dir, desired, observed, intent, expected };
    });
}
