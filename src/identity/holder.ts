import { specHash } from "./hash.js";

/**
 * The `_holder` session keeps the isolated tmux server alive while agents
 * come and go: tmux exits with its last session. It runs a process that
 * does nothing, forever.
 */
export const HOLDER_IDENTITY = { command: "sleep", args: ["infinity"], resumeArgs: [], cwd: "/", env: {} } as const;
export const HOLDER_SPEC_HASH = specHash(HOLDER_IDENTITY);
