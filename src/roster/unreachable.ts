import type { Unreachable } from "../adapters/fs.js";

export const LINK_LOOP = "is a symbolic link that leads into a loop of links";

/**
 * Why `path` cannot be followed, as a phrase to follow its name. `show`
 * names another path the way the caller names `path`.
 */
export function unreachableReason(status: Unreachable, path: string, show: (p: string) => string): string {
  switch (status.kind) {
    case "loop":
      return status.at === path ? LINK_LOOP : `cannot be reached: ${show(status.at)} ${LINK_LOOP}`;
    case "not-a-folder":
      return `cannot be reached: ${show(status.at)} is a file, not a folder`;
    case "denied":
      return status.at === undefined ? "permission denied" : `permission denied (cannot look inside ${show(status.at)})`;
    case "too-long":
      return "the path is too long for the file system";
  }
}
