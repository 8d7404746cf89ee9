import { blockedFolder, isUnreachable, listDirectory, pathStatus, readFileState, readTextFileIfExists } from "../adapters/fs.js";
import { readInstallRecord } from "../adapters/install-record.js";
import { SystemctlClient, SystemctlMissing } from "../adapters/systemctl.js";
import type { InstallLayout } from "../layout.js";
import type { BackendChoice } from "../roster/types.js";
import { AGENT_TEMPLATE, agentUnit, HOLDER_UNIT, UNIT_FILES, unitAgentPath } from "../identity/units.js";
import { homeDir } from "../xdg.js";
import { parseUnits } from "./parse-units.js";
import { findExecutable, folderOwnership, isExecutableFile, listeningWithoutFile } from "../adapters/host.js";
import { NODE_PATH_FILE } from "../framework.js";
import { DRIFT_SERVICE, driftCheckProgram } from "../identity/drift-units.js";
import { rosterPathOf } from "../adapters/state.js";
import { launchExecBytes, tmuxSocketPath, type TmuxClient } from "../adapters/tmux.js";
import { HOLDER_SESSION, type DesiredFleet } from "../roster/types.js";
import { agentSession, holderSession, sessionLaunch } from "../identity/launch.js";
import { ownRosterId } from "../identity/roster-id.js";
import { dirname, join } from "node:path";
import type { HostFacts, LaunchFacts } from "./host-types.js";
import { observeFleet } from "./observe-fleet.js";
import type { ObservedFile, ObservedFleet, ObservedSystemd, ObservedTmux } from "./types.js";

export interface WorldContext {
  readonly desired: DesiredFleet;
  readonly tmux: TmuxClient;
  /** A client for another socket of the same user (sockets this roster used before). */
  readonly tmuxFor: (socket: string) => TmuxClient;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  readonly configPath: string;
  /** Sockets this roster was applied to before, from the state file. */
  readonly appliedSockets: readonly string[];
  /** Gather the facts launches depend on (skipped for a stop, which launches nothing). */
  readonly launches: boolean;
  /** The user manager; null where it must not be asked (the direct backend). */
  readonly systemctl: SystemctlClient | null;
  readonly backend: BackendChoice;
  readonly layout: InstallLayout;
  /** Where this mosaic's product files are installed. */
  readonly productPaths: readonly string[];
}

/** Larger than any file mosaic writes; a bigger one is not mosaic's and is never read whole. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * One snapshot of everything the planner reads: the fleet's tmux server
 * and the host facts a launch depends on. A constant number of process
 * spawns whatever the fleet size: list-panes (plus `tmux -V` when no server
 * runs), and one list-panes per other socket the roster used before, if
 * any; the rest are file stats.
 */
export async function observeWorld(ctx: WorldContext): Promise<ObservedFleet> {
  const { desired, env } = ctx;
  const tmuxObs = await observeFleet(ctx.tmux, ctx.desired);
  const ownId = ownRosterId(desired);
  const socketPath = tmuxSocketPath(desired.socket, env, ctx.uid);
  const socketDirPath = dirname(socketPath);
  const owner = await folderOwnership(socketDirPath);

  let tmuxVersion: HostFacts["tmuxVersion"] = null;
  const files = await observeFiles(ctx);
  const systemd = await observeSystemd(ctx, tmuxObs, files);
  // tmux hands a new pane the PATH of the client that asked for it (measured
  // on 3.3a), not the server's global one: the agent gets this command's
  // PATH, or under systemd the PATH its unit gives start-agent-session.sh.
  const template = files[join(ctx.layout.unitDir, AGENT_TEMPLATE)];
  const viaUnits = systemd !== null && template?.kind === "file" ? unitAgentPath(template.content, homeDir(env)) : null;
  const agentPath = viaUnits ?? env.PATH ?? "";
  const launches: Record<string, LaunchFacts> = {};
  if (ctx.launches) {
    tmuxVersion = tmuxObs.serverRunning && tmuxObs.serverVersion ? parseVersion(`tmux ${tmuxObs.serverVersion}`) : await ctx.tmux.version();
    // The sessions a full start would launch, exactly as the planner builds them.
    const sessions = [holderSession(desired.defaults.stopGraceSeconds), ...desired.agents.filter((a) => a.enabled).map((a) => agentSession(a, desired.socket, false, ownId))];
    // One lookup per command and PATH, and one stat per folder, all under way at once: agents share them.
    const lookupKey = (after: (typeof sessions)[number]) => `${after.argv[0] ?? ""}\0${after.env.PATH ?? agentPath}`;
    const found = new Map<string, Promise<string | null>>();
    const folders = new Map<string, ReturnType<typeof cwdKind>>();
    for (const after of sessions) {
      if (!found.has(lookupKey(after))) found.set(lookupKey(after), findExecutable(after.argv[0] ?? "", after.env.PATH ?? agentPath));
      if (!folders.has(after.cwd)) folders.set(after.cwd, cwdKind(after.cwd));
    }
    for (const after of sessions) {
      launches[after.name] = {
        cwd: await folders.get(after.cwd)!,
        commandPath: await found.get(lookupKey(after))!,
        execBytes: launchExecBytes(sessionLaunch(after)),
      };
    }
  }

  return {
    ...tmuxObs,
    systemd,
    files,
    installRecord: (await readInstallRecord(env)).files,
    host: {
      tmuxVersion,
      socketPath,
      socketPathBytes: Buffer.byteLength(socketPath),
      socketDir: owner ? { path: socketDirPath, ...owner } : null,
      uid: ctx.uid,
      agentPath,
      launches,
      callerPaneId: callerPane(env, socketPath),
      socketFileLost: !tmuxObs.serverRunning && (await listeningWithoutFile(socketPath)),
      toolsNode: await toolsNode(files[join(ctx.layout.toolsDir, NODE_PATH_FILE)]),
      driftCheck: await driftCheck(join(ctx.layout.unitDir, DRIFT_SERVICE)),
      previousSockets: await previousSockets(ctx, ownId),
      rosterPaths: await otherRosterPaths(tmuxObs, ownId, env),
    },
  };
}

/** The node recorded in the installed tools' node-path file: the one the units' ExecStart will run. */
async function toolsNode(file: ObservedFile | undefined): Promise<HostFacts["toolsNode"]> {
  if (file?.kind !== "file") return null;
  // As the shims read it (its first line), so the plan and the units agree.
  const path = file.content.split("\n")[0] ?? "";
  return { path, runs: path.startsWith("/") && (await isExecutableFile(path)) };
}

/** What the installed drift service runs, and whether it still can; null when none is installed. */
async function driftCheck(path: string): Promise<HostFacts["driftCheck"]> {
  const text = await readTextFileIfExists(path).catch(() => undefined);
  const program = text === undefined ? null : driftCheckProgram(text);
  if (program === null) return null;
  return { ...program, runs: (await isExecutableFile(program.node)) && (await pathStatus(program.mosaic)).kind === "file" };
}

async function cwdKind(path: string): Promise<LaunchFacts["cwd"]> {
  const status = await pathStatus(path);
  return isUnreachable(status) ? "unreachable" : status.kind;
}

function parseVersion(raw: string): HostFacts["tmuxVersion"] {
  const m = /tmux (?:next-)?(\d+)\.(\d+)/.exec(raw);
  return m ? { raw, major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** `$TMUX` is "socket-path,server-pid,session"; `$TMUX_PANE` is only meaningful on that server. */
function callerPane(env: Readonly<Record<string, string | undefined>>, socketPath: string): string | null {
  const pane = env.TMUX_PANE;
  const socket = env.TMUX?.split(",")[0];
  return socket === socketPath && pane && /^%\d+$/.test(pane) ? pane : null;
}

/** Roster files of the other rosters whose sessions share the socket, from their state files. */
export async function otherRosterPaths(obs: ObservedTmux, ownId: string | null, env: WorldContext["env"]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of new Set(obs.sessions.map((s) => s.rosterId))) {
    if (id === null || id === ownId) continue;
    const path = await rosterPathOf(env, id);
    if (path !== null) out[id] = path;
  }
  return out;
}

async function previousSockets(ctx: WorldContext, ownId: string | null): Promise<HostFacts["previousSockets"]> {
  const out: { socket: string; managedSessions: string[] }[] = [];
  for (const socket of ctx.appliedSockets) {
    if (socket === ctx.desired.socket) continue;
    const obs = await observeFleet(ctx.tmuxFor(socket));
    // Only what this roster made (or a session too old to say); the shared holder only if no other roster uses the socket.
    const others = obs.sessions.some((s) => s.managed && s.rosterId !== null && s.rosterId !== ownId);
    const managed = obs.sessions.filter((s) => s.managed && (s.rosterId === ownId || (s.rosterId === null && !(others && s.name === HOLDER_SESSION)))).map((s) => s.name);
    if (managed.length > 0) out.push({ socket, managedSessions: managed });
  }
  return out;
}

/** The product files, and every launch file in the launch folder (to find those of agents that left the roster). */
async function observeFiles(ctx: WorldContext): Promise<Record<string, ObservedFile>> {
  const out: Record<string, ObservedFile> = {};
  const launchFiles = (await listDirectory(ctx.layout.launchDir)).filter((n) => n.endsWith(".launch")).map((n) => join(ctx.layout.launchDir, n));
  // One launch file per agent: read at once, not one after another.
  const paths = [...ctx.productPaths, ...launchFiles];
  const read = await Promise.all(paths.map((path) => readFileState(path, MAX_FILE_BYTES)));
  paths.forEach((path, i) => (out[path] = read[i]!));
  // A launch folder that cannot be made (a dangling link on the way, a file) blocks every launch file, at plan time and by name.
  const blocked = await blockedFolder(join(ctx.layout.launchDir, `${HOLDER_SESSION}.launch`));
  if (blocked) {
    for (const name of [HOLDER_SESSION, ...ctx.desired.agents.filter((a) => a.enabled).map((a) => a.name)]) {
      out[join(ctx.layout.launchDir, `${name}.launch`)] = { kind: "other", what: blocked.what, folder: blocked.at };
    }
  }
  return out;
}

/**
 * The fleet's units, in one `systemctl --user show`: the holder, every
 * roster agent's, those of sessions and launch files found, and every
 * loaded instance of the agent template (so a unit left by an agent that
 * is in no roster any more is seen too). Asked only when the systemd
 * backend could be in use: asked for by name, or `auto` with the unit
 * files installed. null when no manager answers.
 */
async function observeSystemd(ctx: WorldContext, tmuxObs: ObservedTmux, files: Record<string, ObservedFile>): Promise<ObservedSystemd | null> {
  if (ctx.systemctl === null || ctx.backend === "direct") return null;
  const installed = UNIT_FILES.every((u) => files[join(ctx.layout.unitDir, u)]?.kind === "file");
  if (!installed && ctx.backend !== "systemd") return null;
  const names = new Set<string>([...ctx.desired.agents.map((a) => a.name), ...tmuxObs.sessions.filter((s) => s.managed && s.name !== HOLDER_SESSION).map((s) => s.name)]);
  for (const path of Object.keys(files)) {
    if (path.startsWith(`${ctx.layout.launchDir}/`) && path.endsWith(".launch")) names.add(path.slice(ctx.layout.launchDir.length + 1, -".launch".length));
  }
  names.delete(HOLDER_SESSION);
  const units = [HOLDER_UNIT, ...[...names].sort().map(agentUnit)];
  let raw: string | null;
  try {
    raw = await ctx.systemctl.showUnits(units, ["mosaic-agent@*"]);
  } catch (err) {
    // No systemctl at all: for `auto` that is no manager, and the direct backend; asked for by name, it is the error.
    if (err instanceof SystemctlMissing && ctx.backend === "auto") return null;
    throw err;
  }
  if (raw === null) return null;
  const byName: Record<string, ReturnType<typeof parseUnits>[number]> = {};
  for (const u of parseUnits(raw)) byName[u.name] ??= u;
  return { units: byName };
}
