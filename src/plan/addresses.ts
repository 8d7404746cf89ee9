import { safeJsonString } from "../text/safe-text.js";

/** Terraform-style resource addresses: `tmux.session["canary-pi"]`. */
export function sessionAddress(name: string): string {
  return `tmux.session[${safeJsonString(name)}]`;
}
