import { jsonDocument } from "../formats.js";
import type { DesiredFleet } from "../roster/types.js";

/** `agent roster --json`: the normalised roster, snake_case like the file. */
export function rosterJson(fleet: DesiredFleet) {
  return jsonDocument("roster", {
    roster: fleet.rosterPath,
    socket: fleet.socket,
    backend: fleet.backend,
    agents: fleet.agents.map((a) => ({
      name: a.name,
      enabled: a.enabled,
      command: a.command,
      args: a.args,
      resume_args: a.resumeArgs,
      cwd: a.cwd,
      // Names only, as in every plan: a value may be a secret.
      env_keys: Object.keys(a.env).sort(),
      on_spec_change: a.onSpecChange,
      stop_grace_seconds: a.stopGraceSeconds,
      ready_after_seconds: a.readyAfterSeconds,
      submit: { key: a.submit.key, settle_ms: a.submit.settleMs },
      spec_hash: a.specHash,
    })),
  });
}
