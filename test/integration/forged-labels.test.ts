import { execa } from "execa";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { alive } from "../helpers/processes.js";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { echoFleet, paneOf, received, tool } from "../helpers/echo-agents.js";
import { forgedLabels } from "../helpers/forged-labels.js";
import { useFleetWorld, type FleetWorld } from "../helpers/fleet-env.js";
import { writeLaunchFiles } from "../helpers/launch-files.js";

const world = useFleetWorld();

/** A unit's ExecStart or ExecStop, run as the unit runs it. */
async function unitScript(w: FleetWorld, script: string, session: string, launchDir: string) {
  const r = await execa(join(repoRoot, "framework", "tools", "fleet", script), [session, launchDir], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
  return { exitCode: r.exitCode, stderr: r.stderr };
}


/**
 * An agent can rewrite its session's label. Whatever it writes that is not
 * in the exact form mosaic writes is no label, to every path that reads
 * labels: the plan, fleet stop, the units' start and stop, mosaic agent
 * send and agent-send.sh. None of them may then act on the session as the
 * fleet's, and above all none may take the pane the forged label names.
 */
describe("a forged label is no label, to every path", () => {
  it("plan, stop, the units' start and stop, agent send and agent-send.sh all refuse the session and touch neither pane", async () => {
    const w = world();
    const launchDir = join(w.home.path, "launch");
    mkdirSync(launchDir);
    const { log } = await echoFleet(w);
    await writeLaunchFiles(w, launchDir);
    const real = await w.label("alpha");
    const agentPane = await paneOf(w, "alpha");
    const agentPid = (await w.panes()).alpha!;
    // A second pane in the agent's own window: where a forged `pane=` would send a message or a signal.
    const split = await w.tmux(["split-window", "-d", "-P", "-F", "#{pane_id} #{pane_pid}", "-t", agentPane, "--", "sleep", "100000"]);
    const [other, otherPid] = split.stdout.trim().split(" ") as [string, string];
    expect(split.exitCode).toBe(0);

    for (const [what, label] of forgedLabels(real, other)) {
      expect((await w.tmux(["set-option", "-t", "=alpha:", "@mosaic", label])).exitCode, what).toBe(0);

      const plan = JSON.parse((await w.mosaic(["fleet", "plan", "--json", "--backend", "direct"])).stdout) as { diagnostics: { code: string; message: string }[]; resource_changes: { address: string; action: string }[] };
      expect(plan.diagnostics.map((d) => d.code), what).toContain("name-taken");
      expect(plan.resource_changes.filter((c) => c.address === 'tmux.session["alpha"]').map((c) => c.action), what).not.toContain("delete");

      const send = await w.mosaic(["agent", "send", "alpha", "--message", `to alpha, ${what}`]);
      expect([send.exitCode, send.stderr], what).toEqual([1, expect.stringContaining("was not started by mosaic")]);

      const script = await tool(w, "agent-send.sh", ["-L", w.socket, "-S", "forger:test", "alpha", `by script, ${what}`]);
      expect([script.exitCode, script.stderr], what).toEqual([1, expect.stringContaining("cannot tell agent alpha's own pane among the 2 of its session; nothing was sent")]);

      const start = await unitScript(w, "start-agent-session.sh", "alpha", launchDir);
      expect([start.exitCode, start.stderr], what).toEqual([1, expect.stringContaining("was not made by mosaic; left it alone")]);
      const stop = await unitScript(w, "stop-agent-session.sh", "alpha", launchDir);
      expect([stop.exitCode, stop.stderr], what).toEqual([1, expect.stringContaining("was not made by mosaic; left it alone")]);

      expect([alive(agentPid), alive(Number(otherPid))], what).toEqual([true, true]);
      const shown = (await w.tmux(["capture-pane", "-p", "-t", other])).stdout;
      expect(shown, what).not.toContain(what);
    }
    expect(received(log)).toEqual([]);

    // fleet stop, last, since it stops the rest of the fleet: the session with the forged label stays, and is named.
    const stop = await w.mosaic(["fleet", "stop", "--backend", "direct"]);
    expect(stop.stderr + stop.stdout).toContain("alpha");
    expect(await w.sessionNames()).toEqual(["alpha"]);
    expect([alive(agentPid), alive(Number(otherPid))]).toEqual([true, true]);
  });
});
