/**
 * Whether systemd keeps a user's manager running while they are logged
 * out ("lingering"). Without it the user manager, and every unit of the
 * fleet with it, stops at logout and does not start at boot, so
 * `fleet install-systemd` must say so; it must also not claim "no" when it
 * simply could not ask. The only place that runs loginctl.
 *
 * What systemd 252's `loginctl show-user USER -p Linger --value` prints,
 * measured on this machine, or read from logind where no logind runs here:
 * - "yes" or "no" and exit 0 when logind knows the user.
 * - "Failed to get user: User ID 1000 is not logged in or lingering", exit
 *   1, when logind does not (logind's own error for GetUser): the user is
 *   not lingering, since logind loads every lingering user at start.
 * - On a host not booted with systemd (this one): "System has not been
 *   booted with systemd as init system (PID 1). Can't operate." and
 *   "Failed to connect to bus: Host is down", exit 1. With
 *   /run/systemd/system present but no system bus (the test sandbox):
 *   "Failed to connect to bus: No such file or directory", exit 1. Nobody
 *   answered: unknown.
 * - `--` before the user name keeps a name starting with `-` from being
 *   read as an option ("loginctl: invalid option -- 'x'" without it).
 */
import { loadExeca } from "./exec.js";

type Env = Readonly<Record<string, string | undefined>>;

export type Lingering = { readonly state: "yes" } | { readonly state: "no" } | { readonly state: "unknown"; readonly why: string };

export interface LoginctlOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether `user`'s manager outlives their sessions, as logind says; "unknown", with loginctl's reason, when logind cannot be asked. */
export async function lingering(user: string, env: Env, binary = "loginctl"): Promise<Lingering> {
  if (user === "") return { state: "unknown", why: "no user name to ask about" };
  const execa = await loadExeca();
  const r = await execa(binary, ["show-user", "-p", "Linger", "--value", "--", user], { reject: false, env: { ...env }, extendEnv: false, stdin: "ignore" });
  if (r.exitCode === undefined) {
    const code = (r.cause as { code?: string } | undefined)?.code;
    return { state: "unknown", why: code === "ENOENT" ? `${binary} is not installed` : `${binary} could not be run: ${r.shortMessage}` };
  }
  return parseLingering({ exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) });
}

/** The answer in what one loginctl call printed (see the header for the texts). */
export function parseLingering(out: LoginctlOutput): Lingering {
  const said = out.stdout.trim();
  if (out.exitCode === 0) {
    if (said === "yes" || said === "no") return { state: said };
    // An older systemd without the property prints nothing.
    return { state: "unknown", why: said === "" ? "loginctl printed no Linger value" : `loginctl printed ${JSON.stringify(said)} for Linger` };
  }
  if (/is not logged in or lingering/.test(out.stderr)) return { state: "no" };
  const lines = out.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return { state: "unknown", why: lines.length > 0 ? lines.join(" ") : `loginctl exited ${out.exitCode}` };
}
