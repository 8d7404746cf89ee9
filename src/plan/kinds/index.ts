import type { ResourceType } from "../types.js";
import { fileLaunch } from "./file-launch.js";
import { fileTool } from "./file-tool.js";
import { fileUnit } from "./file-unit.js";
import type { ResourceKind } from "./kind.js";
import { systemdManager } from "./systemd-manager.js";
import { systemdUnit } from "./systemd-unit.js";
import { tmuxSession } from "./tmux-session.js";

/**
 * Every resource kind, by type. A mapped type over ResourceType: a kind
 * added to the union without its module here does not compile.
 */
export const KINDS: { readonly [K in ResourceType]: ResourceKind<K> } = {
  "tmux.session": tmuxSession,
  "systemd.unit": systemdUnit,
  "systemd.manager": systemdManager,
  "file.unit": fileUnit,
  "file.tool": fileTool,
  "file.launch": fileLaunch,
};

export function kindOf<K extends ResourceType>(type: K): ResourceKind<K> {
  return KINDS[type];
}

/** Every resource type, in the registry's order: the order facts and refusals are listed in. */
export const RESOURCE_TYPES = Object.keys(KINDS) as readonly ResourceType[];

/**
 * The order kinds are planned in: a kind reads the changes of those before
 * it (units read the sessions'), and says what it refuses in this order.
 */
export const PLANNING_ORDER = ["tmux.session", "file.launch", "systemd.manager", "systemd.unit", "file.unit", "file.tool"] as const satisfies readonly ResourceType[];

// Every kind is planned: a type missing from PLANNING_ORDER makes this line fail to compile.
const everyKindPlanned: Exclude<ResourceType, (typeof PLANNING_ORDER)[number]> extends never ? true : never = true;
void everyKindPlanned;
