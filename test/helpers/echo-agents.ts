import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { repoRoot } from "./cli.js";
import { eventually } from "./eventually.js";
import type { FleetWorld, TestAgent } from "./fleet-env.js";

/** The label `mosaic agent send` gives operator traffic on this host. */
export const operator = `${hostname()}:operator`;

export const echoAgentPath = join(repoRoot, "framework", "demo", "echo-agent.mjs");

/** A roster entry running the shipped echo agent, logging every message it takes to `log`. */
export function echoAgent(name: string, log: string, extra: Partial<TestAgent> = {}): TestAgent {
  return { name, command: process.execPath, args: [echoAgentPath], env: { DEMO_LOG: log }, ...extra };
}

/** What the echo agent logged: each message it took, in order, exactly as received. */
export function received(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** The session's pane id, as tmux reports it. */
export async function paneOf(w: FleetWorld, session: string): Promise<string> {
  const r = await w.tmux(["display-message", "-p", "-t", `=${session}:`, "#{pane_id}"]);
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Wait until the pane shows `text` (an agent's greeting: it takes input from then on); returns what it shows. */
export async function waitForPane(w: FleetWorld, pane: string, text: string | RegExp, hangAfterMs?: number): Promise<string> {
  let shown = "";
  const seen = async () => {
    shown = (await w.tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", pane])).stdout;
    return typeof text === "string" ? shown.includes(text) : text.test(shown);
  };
  try {
    await eventually(seen, { what: `pane ${pane} showing ${String(text)}`, hangAfterMs });
  } catch (err) {
    throw new Error(`${(err as Error).message}; it shows:\n${shown}`);
  }
  return shown;
}

/** A fleet of one echo agent, `alpha` (and `more`), up and taking input; alpha's messages land in `log`. */
export async function echoFleet(w: FleetWorld, more: TestAgent[] = []): Promise<{ log: string; pane: string }> {
  const log = join(w.home.path, "alpha.log");
  w.writeRoster([echoAgent("alpha", log), ...more]);
  await w.ok(["fleet", "apply", "--auto-approve", "--backend", "direct"]);
  const pane = await paneOf(w, "alpha");
  await waitForPane(w, pane, "[alpha] ready");
  return { log, pane };
}

/** Run a shipped tmux tool (agent-send.sh, send-message.sh) as a script would, against the world's private tmux. */
export async function tool(w: FleetWorld, script: string, args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = await execa(join(repoRoot, "framework", "tools", "tmux", script), args, { env: { ...w.env, PATH: process.env.PATH ?? "", ...opts.env }, extendEnv: false, reject: false, input: opts.input ?? "" });
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Wait until `check` holds: a state the test can see, never a time (eventually). */
export async function waitFor(check: () => boolean | Promise<boolean>, what = "the awaited state"): Promise<void> {
  await eventually(check, { what });
}
