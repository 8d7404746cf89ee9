import { framed } from "../message/frame.js";
import { observeFleet } from "../observe/observe-fleet.js";
import { typeMessage, type TypeOutcome, type TypeRequest } from "./type-message.js";

/**
 * A message to one agent, framed with who sends it: what `mosaic agent
 * send` and agent-send.sh both run. The agent's pane is the one its
 * session recorded at launch, read through the one label parser
 * (observe/parse-panes.ts): a label not in the exact form mosaic writes
 * is no label, so a session that then has several panes has no pane to
 * send to, and a pane split off the agent never gets the text.
 */
export interface SendRequest extends Omit<TypeRequest, "paneId" | "text"> {
  readonly agent: string;
  /** The pane the caller saw: the send goes ahead only if it is still the agent's (null: any). */
  readonly expectedPane: string | null;
  readonly label: string;
  /** The message, already checked (message/frame.ts prepareMessage). */
  readonly body: string;
}

export type SendOutcome = TypeOutcome & { readonly pane?: string };

export async function sendToAgent(req: SendRequest): Promise<SendOutcome> {
  const { agent, tmux } = req;
  const refuse = (why: string): SendOutcome => ({ status: 1, message: `${why}; nothing was sent` });
  const seen = await observeFleet(tmux);
  if (seen.globalLabels.length > 0) return refuse(`the label option ${seen.globalLabels[0]} is set for every session at once on socket ${tmux.socket}, so no session's label can be trusted`);
  const session = seen.sessions.find((s) => s.name === agent);
  if (session === undefined) return refuse(`no session ${agent} on socket ${tmux.socket}`);
  if (session.sharedPane) return refuse(`agent ${agent}'s pane ${session.sharedPane.id} is in a window linked into another session`);
  if (session.pane === null) return refuse(`cannot tell agent ${agent}'s own pane among the ${session.paneCount} of its session`);
  const pane = session.pane.id;
  if (session.pane.dead) return refuse(`agent ${agent}'s pane ${pane} is dead`);
  if (req.expectedPane !== null && req.expectedPane !== pane) return refuse(`agent ${agent}'s pane is now ${pane}, not ${req.expectedPane}: it was restarted`);
  const typed = await typeMessage({ ...req, paneId: pane, text: framed(req.label, req.body) });
  return { ...typed, pane };
}
