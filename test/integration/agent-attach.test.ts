import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { echoFleet, operator, received, waitFor, waitForPane } from "../helpers/echo-agents.js";
import { useFleetWorld, type FleetWorld } from "../helpers/fleet-env.js";

/**
 * `mosaic agent attach` run in a pane of another tmux server (an operator's
 * own tmux, on a private socket of the test's): that pane is the terminal,
 * so what it shows is what the operator sees, and keys sent to it are what
 * the operator types.
 */
async function operatorTerminal(w: FleetWorld, args: string[]) {
  const outer = (tmuxArgs: string[]) => execa("tmux", ["-L", "operator", "-f", "/dev/null", ...tmuxArgs], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
  // After the attach ends, the pane stays, saying how mosaic exited.
  const script = `"$0" "$@"; echo "attach exited $?"; exec sleep 100000`;
  const r = await outer(["new-session", "-d", "-s", "op", "-x", "160", "-y", "40", "--", "sh", "-c", script, process.execPath, cliPath, "agent", "attach", ...args, "--roster", w.rosterPath]);
  expect(r.exitCode, r.stderr).toBe(0);
  return {
    screen: async () => (await outer(["capture-pane", "-p", "-J", "-t", "=op:"])).stdout,
    type: async (...keys: string[]) => expect((await outer(["send-keys", "-t", "=op:", ...keys])).exitCode).toBe(0),
    stop: () => outer(["kill-server"]),
  };
}

describe("mosaic agent attach", () => {
  const world = useFleetWorld();

  it("shows the agent's screen in the operator's terminal, takes what they type, and detaches with the fleet's prefix, leaving the agent running", async () => {
    const w = world();
    const { log, pane } = await echoFleet(w);
    const term = await operatorTerminal(w, ["alpha"]);
    try {
      await waitFor(async () => (await term.screen()).includes("[alpha] ready"), "the agent's screen in the operator's terminal");
      await term.type("-l", "typed by hand");
      await term.type("Enter");
      await waitFor(() => received(log).includes("typed by hand"), "the typed line reaching the agent");
      await term.type("C-b", "d");
      await waitFor(async () => (await term.screen()).includes("attach exited 0"), "the detach");
      const shown = await term.screen();
      expect(shown).toContain("Detach with C-b d; the agent keeps running.");
      await waitForPane(w, pane, "[alpha]");
      expect((await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_dead}"])).stdout.trim()).toBe("0");
    } finally {
      await term.stop();
    }
  });

  it("--read-only shows the screen, and nothing typed reaches the agent", async () => {
    const w = world();
    const { log } = await echoFleet(w);
    const term = await operatorTerminal(w, ["alpha", "--read-only"]);
    try {
      await waitFor(async () => (await term.screen()).includes("[alpha] ready"), "the agent's screen in the operator's terminal");
      await term.type("-l", "should not arrive");
      await term.type("Enter");
      // Keys reach tmux in order: once the detach typed after them is done, they were dropped, or they arrived.
      await term.type("C-b", "d");
      await waitFor(async () => (await term.screen()).includes("attach exited 0"), "the detach");
      await w.ok(["agent", "send", "alpha", "--message", "MARKER"]);
      await waitFor(() => received(log).length > 0, "the marker");
      expect(received(log)).toEqual([`[from ${operator}] MARKER`]);
      expect(await term.screen()).toContain("read-only");
    } finally {
      await term.stop();
    }
  });

  it("shows the whole session name in the fleet's status bar, however long (tmux cuts it at 10 characters by default)", async () => {
    const w = world();
    const name = "documentation-reviewer-for-the-shop";
    w.writeRoster([{ name, command: "sleep", args: ["100000"] }], { defaults: { ready_after_seconds: 0 } });
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const term = await operatorTerminal(w, [name]);
    try {
      await waitFor(async () => (await term.screen()).includes(`[${name}]`), "the whole name in the status bar");
    } finally {
      await term.stop();
    }
  });

  it("without a terminal exits 1, saying why and what to use instead", async () => {
    const w = world();
    await echoFleet(w);
    const r = await w.mosaic(["agent", "attach", "alpha"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("error: no terminal to attach");
    expect(r.stderr).toContain("mosaic agent tail alpha");
  });

  it("an agent with no session is named, with how to start it", async () => {
    const w = world();
    await echoFleet(w, [{ name: "beta", command: "sleep", args: ["100000"], enabled: false }]);
    const term = await operatorTerminal(w, ["beta"]);
    try {
      await waitFor(async () => (await term.screen()).includes("attach exited 1"), "the refusal");
      expect(await term.screen()).toContain('agent "beta" is disabled in the roster');
    } finally {
      await term.stop();
    }
  });
});
