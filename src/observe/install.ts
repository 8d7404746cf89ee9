import { blockedFolder, fileKind, readFileState } from "../adapters/fs.js";
import { installRecordPath, readInstallRecord } from "../adapters/install-record.js";
import { SystemctlMissing, type SystemctlClient } from "../adapters/systemctl.js";
import type { ProductFile } from "../layout.js";
import { HOLDER_UNIT } from "../identity/units.js";
import { parseUnits } from "./parse-units.js";
import type { ObservedFile, ObservedInstall, ObservedSystemd } from "./types.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What `fleet install-systemd` and `mosaic update` plan from: the product
 * files where they are installed, the record of what mosaic wrote there,
 * and, when a user manager answers, whether it has re-read the holder's
 * unit and which folders it reads units from (two systemctl calls). No tmux.
 */
export async function observeInstall(product: readonly ProductFile[], env: Env, systemctl: SystemctlClient | null): Promise<ObservedInstall> {
  const files: Record<string, ObservedFile> = {};
  for (const f of product) {
    // A folder on the way that cannot be made blocks the file, by name, at
    // plan time: read through it, the file only looks missing.
    const blocked = await blockedFolder(f.path);
    files[f.path] = blocked ? { kind: "other", what: blocked.what, folder: blocked.at } : await readFileState(f.path, 1024 * 1024);
  }
  let systemd: ObservedSystemd | null = null;
  let unitPath: string[] | null = null;
  if (systemctl) {
    try {
      const raw = await systemctl.showUnits([HOLDER_UNIT]);
      if (raw !== null) systemd = { units: Object.fromEntries(parseUnits(raw).map((u) => [u.name, u])) };
      if (raw !== null) unitPath = await systemctl.unitPath();
    } catch (err) {
      // No systemctl at all: installing the files still works; there is no manager to tell.
      if (!(err instanceof SystemctlMissing)) throw err;
    }
  }
  const record = await readInstallRecord(env);
  // readInstallRecord reads no record as an empty one; only an empty one can be a missing one.
  const missing = record.unreadable === null && Object.keys(record.files).length === 0 && (await fileKind(installRecordPath(env))) === "missing";
  return {
    socket: "",
    serverRunning: false,
    serverVersion: null,
    sessions: [],
    unreadable: [],
    globalLabels: [],
    systemd,
    files,
    installRecord: record.files,
    unitPath,
    installRecordProblem: record.unreadable ?? (missing ? `${installRecordPath(env)} is missing` : null),
    host: { tmuxVersion: null, socketPath: "", socketPathBytes: 0, socketDir: null, uid: 0, agentPath: "", launches: {}, callerPaneId: null, socketFileLost: false, toolsNode: null, rosterPaths: {}, previousSockets: [] },
  };
}
