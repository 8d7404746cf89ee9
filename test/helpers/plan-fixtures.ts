import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HEALTHY_HOST, type HostFacts } from "../../src/observe/host-types.js";
import type { ObservedInstall, ObservedSession } from "../../src/observe/types.js";
import { HOLDER_IDENTITY, HOLDER_SPEC_HASH } from "../../src/identity/holder.js";
import { specFieldDigests } from "../../src/identity/fields.js";
import { rosterId } from "../../src/identity/roster-id.js";
import { ROSTER_INTENT, type PlanIntent } from "../../src/plan/types.js";
import type { InstallIntent } from "../../src/plan/install.js";
import { launchFilePath, LAUNCH_FILE_MODE } from "../../src/plan/launch-files.js";
import { NO_INSTALL_SETTINGS, type PlanSettings } from "../../src/plan/settings.js";
import type { ProductFile } from "../../src/layout.js";
import { launchFileContent } from "../../src/identity/launch-file.js";
import { legacyLaunchFileContent } from "./legacy-launch-file.js";
import { agentSession, holderSession, sessionLaunch } from "../../src/identity/launch.js";
import type { ObservedFile } from "../../src/observe/types.js";
import type { ObservedUnit } from "../../src/observe/parse-units.js";
import { fileHash } from "../../src/identity/file-hash.js";
import { parseRoster } from "../../src/roster/parse.js";
import { rosterValidator } from "../../src/roster/schema.js";
import type { DesiredFleet } from "../../src/roster/types.js";
import type { PlanDocument } from "../../src/render/plan-json.js";
import { repoRoot } from "./cli.js";

export const planCasesDir = join(repoRoot, "fixtures", "plan");

export interface PlanCase {
  readonly name: string;
  readonly dir: string;
  readonly desired: DesiredFleet;
  /** What the case observed; `installRecordProblem` (null unless observed.json says) only install plans read. */
  readonly observed: ObservedInstall;
  readonly intent: PlanIntent;
  /** Set for a case of `fleet install-systemd` / `mosaic update` (install.json). */
  readonly install: InstallIntent | null;
  readonly settings: PlanSettings;
  readonly expected: string[];
}

const layout = NO_INSTALL_SETTINGS.layout;
/** Small stand-ins for the product files: what a case's "installed" means. */
const PRODUCT: readonly ProductFile[] = [
  { type: "file.unit", name: "mosaic-tmux-holder.service", path: `${layout.unitDir}/mosaic-tmux-holder.service`, content: "[Service]\nType=oneshot\nExecStart=%h/start _holder\n", mode: 0o644 },
  { type: "file.unit", name: "mosaic-agent@.service", path: `${layout.unitDir}/mosaic-agent@.service`, content: "[Service]\nType=oneshot\nExecStart=%h/start %i\n", mode: 0o644 },
  { type: "file.tool", name: "fleet/start-agent-session.sh", path: `${layout.toolsDir}/fleet/start-agent-session.sh`, content: "#!/bin/sh\n", mode: 0o755 },
];

/**
 * A unit in shorthand: "active enabled" (words: active | inactive | failed,
 * enabled | disabled, and "reload" for NeedDaemonReload, "not-found", "masked").
 */
function unitOf(name: string, words: string): ObservedUnit {
  const w = new Set(words.split(" "));
  const activeState = w.has("active") ? "active" : w.has("failed") ? "failed" : "inactive";
  return {
    name,
    loadState: w.has("not-found") ? "not-found" : w.has("masked") ? "masked" : "loaded",
    activeState,
    subState: activeState === "active" ? "exited" : activeState === "failed" ? "failed" : "dead",
    unitFileState: w.has("enabled") ? "enabled" : w.has("masked") ? "masked" : w.has("not-found") ? "" : "disabled",
    result: activeState === "failed" ? "exit-code" : "success",
    needDaemonReload: w.has("reload"),
  };
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
      }) as Omit<ObservedInstall, "host" | "sessions" | "systemd" | "files" | "installRecord" | "installRecordProblem" | "unitPath"> & Partial<Pick<ObservedInstall, "systemd" | "files" | "installRecord" | "installRecordProblem" | "unitPath">> & { host?: Partial<HostFacts>; sessions: (Omit<ObservedSession, "rosterId"> & { rosterId?: string | null })[] };
      // A session without a rosterId key is this roster's; "@other" stands for another roster's.
      const own = rosterId("/fleet/roster.yaml");
      const other = rosterId("/other/roster.yaml");
      const sessions = raw.sessions.map((s) => ({ ...s, rosterId: s.rosterId === undefined ? own : s.rosterId === "@other" ? other : s.rosterId }));
      const rosterPaths = Object.fromEntries(Object.entries(raw.host?.rosterPaths ?? {}).map(([k, v]) => [k === "@other" ? other : k, v]));
      const observed: ObservedInstall = { ...raw, globalLabels: raw.globalLabels ?? [], systemd: raw.systemd ?? null, files: raw.files ?? {}, installRecord: raw.installRecord ?? {}, installRecordProblem: raw.installRecordProblem ?? null, unitPath: raw.unitPath ?? null, sessions, host: { ...HEALTHY_HOST, ...raw.host, rosterPaths } };
      const extra = JSON.parse(read("observed.json")) as { installed?: boolean | "stale" | "edited"; launchFiles?: Record<string, "current" | "stale" | "other-fleet" | "older">; units?: Record<string, string>; backend?: PlanSettings["backend"] };
      const files: Record<string, ObservedFile> = {};
      const record: Record<string, string> = {};
      for (const f of extra.installed ? PRODUCT : []) {
        const content = extra.installed === true ? f.content : `${f.content}# ${extra.installed}\n`;
        files[f.path] = { kind: "file", content, mode: f.mode };
        record[f.path] = fileHash(extra.installed === "edited" ? f.content : content);
      }
      for (const [session, state] of Object.entries(extra.launchFiles ?? {})) {
        const agent = desired.agents.find((a) => a.name === session);
        const after = agent ? agentSession(agent, desired.socket, false, own) : holderSession(desired.defaults.stopGraceSeconds);
        const socket = state === "other-fleet" ? "elsewhere" : desired.socket;
        const launch = sessionLaunch({ ...after, name: session, ...(state === "stale" ? { argv: ["old"] } : {}) });
        const content = state === "older" ? legacyLaunchFileContent(launch, socket, layout.tmuxConfig, { separateLabels: true }) : launchFileContent(launch, socket, layout.tmuxConfig);
        files[launchFilePath(layout, session)] = { kind: "file", content, mode: LAUNCH_FILE_MODE };
      }
      const systemd = extra.units ? { units: Object.fromEntries(Object.entries(extra.units).map(([u, w]) => [u, unitOf(u, w)])) } : observed.systemd;
      // Files and record entries the case spells out win over the shorthands.
      const world: ObservedInstall = { ...observed, files: { ...files, ...observed.files }, installRecord: { ...record, ...observed.installRecord }, systemd };
      const settings: PlanSettings = { ...NO_INSTALL_SETTINGS, product: PRODUCT, backend: extra.backend ?? desired.backend };
      const intent = existsSync(join(dir, "intent.json")) ? (JSON.parse(read("intent.json")) as PlanIntent) : ROSTER_INTENT;
      const install = existsSync(join(dir, "install.json")) ? (JSON.parse(read("install.json")) as InstallIntent) : null;
      const expected = read("expected.txt").split("\n").filter((l) => l !== "");
      return { name, dir, desired, observed: world, intent, install, settings, expected };
    });
}

/**
 * The plan as `expected.txt` spells it: one line per change, noops included,
 * from the very document `fleet plan --json` prints:
 *
 *   ACTION[ (held)][ (runs caller)] ADDRESS REASON[ | after DEP, DEP...][ | KIND: CALL]...
 *
 * Every dependency edge and every step (its kind and the call it makes, in
 * order) is on the change's own line, so a diff of the file names exactly
 * the change whose ordering or calls moved; the golden renderings, which
 * `-u` rewrites, are no substitute for that review.
 */
export function changeLines(doc: PlanDocument): string[] {
  return doc.resource_changes.map((c) =>
    [
      `${c.action}${c.held ? " (held)" : ""}${c.runs_caller ? " (runs caller)" : ""} ${c.address} ${c.reason}`,
      ...(c.depends_on.length > 0 ? [`after ${c.depends_on.join(", ")}`] : []),
      ...c.steps.map((s) => `${s.kind}: ${s.call}`),
    ].join(" | "),
  );
}
