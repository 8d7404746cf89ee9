import { isMap, isSeq, parseDocument } from "yaml";

/**
 * A profile's roster text, made the preflight's own: on the scratch
 * socket, started directly (never through the user's systemd units), and
 * with `agentCommand` every agent runs that command with no arguments of
 * the profile's. Comments and layout stay as the profile has them.
 */
export function scratchRosterText(text: string, opts: { socket: string; agentCommand: string | null }): { text: string; agents: string[] } {
  const doc = parseDocument(text);
  doc.set("socket", opts.socket);
  doc.set("backend", "direct");
  if (opts.agentCommand !== null) {
    const defaults = doc.get("defaults");
    if (isMap(defaults)) {
      defaults.delete("args");
      defaults.delete("resume_args");
      defaults.set("command", opts.agentCommand);
    }
  }
  const agents: string[] = [];
  const list = doc.get("agents");
  for (const agent of isSeq(list) ? list.items : []) {
    if (!isMap(agent)) continue;
    agents.push(String(agent.get("name")));
    if (opts.agentCommand !== null) {
      agent.set("command", opts.agentCommand);
      agent.delete("args");
      agent.delete("resume_args");
    }
  }
  return { text: doc.toString(), agents };
}
