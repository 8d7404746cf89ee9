import { join } from "node:path";
import { launchFileContent, readLaunchFile } from "../identity/launch-file.js";
import type { ObservedFleet } from "../observe/types.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { agentSession, holderSession, sessionLaunch } from "../identity/launch.js";
import { agentUnit, HOLDER_UNIT, unitOfSession } from "../identity/units.js";
import { quoteForDisplay } from "../text/quote.js";
import { safeJsonString } from "../text/safe-text.js";
import { fileAddress } from "./addresses.js";
import { planFile, type FileContext } from "./files.js";
import { unitActive } from "./unit-state.js";
import type { InstallLayout } from "../layout.js";
import type { FileChange, PlanDiagnostic, PlanReason } from "./types.js";

/** Launch files are read by the units' session tool as the user: private, since a roster's env may hold secrets. */
export const LAUNCH_FILE_MODE = 0o600;

export function launchFilePath(layout: InstallLayout, session: string): string {
  return join(layout.launchDir, `${session}.launch`);
}

/**
 * The planner for launch files (systemd backend): one per session the
 * roster runs, holding the resume launch, so a unit started at boot resumes
 * the conversation. A launch file of this fleet (its socket and roster) whose
 * agent the roster no longer runs is removed, after its unit stopped: the
 * unit's ExecStop reads it. Files of other fleets are left alone.
 * `viaUnits` false: the plan does not use the units (backend direct), and
 * only keeps this fleet's launch files current.
 */
export function planLaunchFiles(desired: DesiredFleet, observed: ObservedFleet, layout: InstallLayout, rosterId: string | null, diagnostics: PlanDiagnostic[], viaUnits = true): FileChange[] {
  const wanted = new Map<string, string>();
  wanted.set(HOLDER_SESSION, launchFileContent(sessionLaunch(holderSession(desired.defaults.stopGraceSeconds)), desired.socket, layout.tmuxConfig));
  for (const agent of desired.agents.filter((a) => a.enabled)) {
    wanted.set(agent.name, launchFileContent(sessionLaunch(agentSession(agent, desired.socket, false, rosterId)), desired.socket, layout.tmuxConfig));
  }
  const ctx: FileContext = { record: {}, force: true };
  const out: FileChange[] = [];
  for (const [name, content] of wanted) {
    const path = launchFilePath(layout, name);
    if (launchFileOwner(observed, layout, name, desired.socket, rosterId) === "another-fleet") {
      // Not using the units (backend direct), a fleet only keeps its own launch files current; another fleet's stay as they are.
      if (!viaUnits) continue;
      if (unitActive(observed.systemd, unitOfSession(name))) diagnostics.push(unitTaken(name, path, (observed.files[path] as { content: string }).content, desired.socket));
    }
    const c = planFile({ type: "file.launch", name, path, want: { content, mode: LAUNCH_FILE_MODE }, product: false }, observed.files[path] ?? { kind: "missing" }, ctx, diagnostics);
    if (c) out.push(c);
  }
  const agents = new Map(desired.agents.map((a) => [a.name, a]));
  for (const [path, found] of Object.entries(observed.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = launchFileName(layout, path);
    if (name === null || wanted.has(name) || found.kind !== "file" || !ofThisFleet(found.content, desired.socket, rosterId)) continue;
    const goneReason: PlanReason = agents.has(name) ? "disabled" : "not-in-roster";
    const c = planFile({ type: "file.launch", name, path, want: null, product: false, goneReason }, found, ctx, diagnostics);
    if (c) out.push(c);
  }
  return out;
}

/**
 * The unit a roster wants runs another fleet's session now: units are the
 * user's, one per name, so taking it over would stop that session (or
 * leave it running with no unit). Refused, saying which fleet has it.
 */
function unitTaken(name: string, path: string, content: string, socket: string): PlanDiagnostic {
  const read = readLaunchFile(content);
  const theirs = read.ok ? read.file.socket : "";
  const which = theirs === socket ? "another roster's on this socket" : `for socket ${safeJsonString(theirs)}`;
  const stop = theirs === socket ? "mosaic fleet stop with that roster" : `mosaic fleet stop --socket ${theirs}`;
  const what = name === HOLDER_SESSION ? `${HOLDER_UNIT} runs the holder of another fleet` : `${agentUnit(name)} runs agent ${safeJsonString(name)} of another fleet`;
  const why = name === HOLDER_SESSION ? "systemd runs one fleet per user" : `two fleets cannot both run an agent named ${safeJsonString(name)} through systemd`;
  return {
    severity: "error",
    code: "name-taken",
    address: fileAddress("file.launch", name),
    message: `${what}: its launch file ${quoteForDisplay(path)} is ${which}. Units are the user's, so ${why}. Stop that fleet first (${stop})${name === HOLDER_SESSION ? "" : ", or rename this agent"}, then plan again.`,
  };
}

/** The session a path in the launch folder is the launch file of, or null. */
export function launchFileName(layout: InstallLayout, path: string): string | null {
  const prefix = `${layout.launchDir}/`;
  if (!path.startsWith(prefix) || !path.endsWith(".launch")) return null;
  const name = path.slice(prefix.length, -".launch".length);
  return name.includes("/") || name === "" ? null : name;
}

/**
 * Whether a launch file was written for this fleet: its socket, and the
 * roster it records (a holder records none: any fleet on the socket shares
 * it; nor does a file an older mosaic wrote before rosters were recorded).
 */
export function ofThisFleet(content: string, socket: string, rosterId: string | null): boolean {
  const read = readLaunchFile(content);
  if (!read.ok || read.file.socket !== socket) return false;
  return rosterId === null || read.file.roster === null || read.file.roster === rosterId;
}

/**
 * Whose the launch file at a session's path is, which decides what its
 * unit's ExecStart and ExecStop act on: this fleet's session, another
 * fleet's (another socket, or another roster on this socket), or nothing
 * (no file, or one the scripts refuse to read: they stop nothing then).
 */
export type LaunchFileOwner = "this-fleet" | "another-fleet" | "none";

export function launchFileOwner(observed: ObservedFleet, layout: InstallLayout, session: string, socket: string, rosterId: string | null): LaunchFileOwner {
  const f = observed.files[launchFilePath(layout, session)];
  if (f?.kind !== "file" || !readLaunchFile(f.content).ok) return "none";
  return ofThisFleet(f.content, socket, rosterId) ? "this-fleet" : "another-fleet";
}
