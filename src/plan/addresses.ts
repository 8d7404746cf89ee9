/** Terraform-style resource addresses: `tmux.session["canary-pi"]`. */
export function sessionAddress(name: string): string {
  return `tmux.session[${JSON.stringify(name)}]`;
}
