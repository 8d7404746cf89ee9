import { SESSION_TOOL } from "../../framework.js";
import type { ResourceType } from "../../plan/types.js";
import { fileView } from "./file.js";
import type { Entry, KindView } from "./kind.js";
import { systemdManagerView } from "./systemd-manager.js";
import { systemdUnitView } from "./systemd-unit.js";
import { tmuxSessionView } from "./tmux-session.js";

/**
 * Every kind's view, by type: checked against a mapped type over
 * ResourceType, so a kind added to the union without a view does not
 * compile. Each entry keeps its own document type (ChangeDocument).
 */
export const VIEWS = {
  "tmux.session": tmuxSessionView,
  "systemd.unit": systemdUnitView,
  "systemd.manager": systemdManagerView,
  "file.unit": fileView("file.unit", () => true),
  "file.tool": fileView("file.tool", (c) => c.name !== SESSION_TOOL),
  "file.launch": fileView("file.launch", () => false),
} satisfies { readonly [K in ResourceType]: KindView<K, object> };

/** The document of a kind's own fields, as its view makes them. */
export type ViewDoc<K extends ResourceType> = ReturnType<(typeof VIEWS)[K]["json"]>;

/** One entry of a plan document's `resource_changes`: a union over kinds, discriminated on `type`. */
export type ChangeDocument = { [K in ResourceType]: Entry<K, ViewDoc<K>> }[ResourceType];

const views: { readonly [K in ResourceType]: KindView<K, ViewDoc<K>> } = VIEWS;

export function viewOf<K extends ResourceType>(type: K): KindView<K, ViewDoc<K>> {
  return views[type];
}
