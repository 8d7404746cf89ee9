import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HEALTHY_HOST, type HostFacts } from "../../src/observe/host-types.js";
import type { ObservedFleet, ObservedSession } from "../../src/observe/types.js";
import { HOLDER_IDENTITY, HOLDER_SPEC_HASH } from "../../src/spec/holder.js";
import { specFieldDigests } from "../../src/spec/fields.js";
import { rosterId } from "../../src/spec/roster-id.js";
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
      const fields = new Map<string, Record<string, string>>([["_holder", specFieldDigests(HOLDER_IDENTITY)], ...desired.agents.map((a) => [a.name, specFieldDigests(a)] as [string, Record<string, string>])]);
      const raw = JSON.parse(read("observed.json"), (key, value: unknown) => {
        if (key === "specHash" && typeof value === "string" && value.startsWith("@spec:")) return hashes.get(value.slice(6));
        if (key === "specFields" && value !== null && typeof value === "object" && "@fields" in value) {
          const { "@fields": of, ...overrides } = value as Record<string, string | null>;
          const merged: Record<string, string | null> = { ...fields.get(of!), ...overrides };
          return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null));
        }
        return value;
      }) as Omit<ObservedFleet, "host" | "sessions"> & { host?: Partial<HostFacts>; sessions: (Omit<ObservedSession, "rosterId"> & { rosterId?: string | null })[] };
      // A session without a rosterId key is this roster's; "@other" stands for another roster's.
      const own = rosterId("/fleet/roster.yaml");
      const other = rosterId("/other/roster.yaml");
      const sessions = raw.sessions.map((s) => ({ ...s, rosterId: s.rosterId === undefined ? own : s.rosterId === "@other" ? other : s.rosterId }));
      const rosterPaths = Object.fromEntries(Object.entries(raw.host?.rosterPaths ?? {}).map(([k, v]) => [k === "@other" ? other : k, v]));
      const observed: ObservedFleet = { ...raw, sessions, host: { ...HEALTHY_HOST, ...raw.host, rosterPaths } };
      const intent = existsSync(join(dir, "intent.json")) ? (JSON.parse(read("intent.json")) as PlanIntent) : ROSTER_INTENT;
      const expected = read("expected.txt").split("\n").filter((l) => l !== "");
      return { name, dir, desired, observed, intent, expected };
    });
}
