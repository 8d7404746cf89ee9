import { safeJsonString } from "../text/safe-text.js";

/** Terraform-style resource addresses: `tmux.session["canary-pi"]`. */
export function sessionAddress(name: string): string {
  return `tmux.session[${safeJsonString(name)}]`;
}

export function unitAddress(unit: string): string {
  return `systemd.unit[${safeJsonString(unit)}]`;
}

/** The user's manager: one per user, so one address. */
export const MANAGER_ADDRESS = 'systemd.manager["user"]';

export function fileAddress(type: "file.unit" | "file.tool" | "file.launch", name: string): string {
  return `${type}[${safeJsonString(name)}]`;
}
