import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = (await SystemdSandbox.unavailable()) ?? SystemdSandbox.journalUnavailable();
if (why) console.warn(`SKIPPED: the crash-loop tests need a user manager and a journal in a mount namespace: ${why}`);

/**
 * Agents that die at start, and units that fail, under a real user manager
 * with a journal of its own: mosaic reports them, nothing of its restarts
 * them in a loop, and `status` shows a failed unit's own words.
 */
describe.skipIf(why !== null)("crash loops under systemd --user", () => {
  const box = new SystemdSandbox({ journal: true });
  const sh = (line: string) => box.run(["sh", "-c", line]);
  const ok = async (line: string) => {
    const r = await sh(line);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  const tmux = (...args: string[]) => box.run(["tmux", "-L", "mosaic-factory", ...args]);
  const pane = async (name: string) => (await tmux("display-message", "-p", "-t", `=${name}:`, "#{pane_id} #{pane_dead} #{pane_dead_status}")).stdout.trim();
  const unit = async (name: string) => {
    const r = await box.systemctl(["show", "-p", "ActiveState,SubState,Result,NRestarts,Restart", name]);
    return Object.fromEntries(r.stdout.split("\n").map((l) => l.split("=", 2) as [string, string]));
  };

  beforeAll(async () => {
    await box.start();
    box.putMosaicOnPath();
    const roster = join(box.env.HOME!, ".config", "mosaic", "fleet", "roster.yaml");
    mkdirSync(join(roster, ".."), { recursive: true });
    writeFileSync(
      roster,
      [
        "socket: mosaic-factory",
        "defaults:",
        "  ready_after_seconds: 1",
        "agents:",
        "  - name: steady",
        "    command: sleep",
        "    args: ['100000']",
        "  - name: crashy",
        "    command: sh",
        "    args: ['-c', 'echo starting; exit 3']",
        "",
      ].join("\n"),
    );
    await ok("mosaic fleet install-systemd --reload");
  });
  afterAll(async () => {
    await tmux("kill-server");
    await box.dispose();
  });

  it("an agent that dies at start is reported by the apply, and nothing restarts it", async () => {
    const r = await sh("mosaic fleet apply --auto-approve");
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    // The status comes as soon as tmux has reaped the process, which it does lazily: under load, after the report.
    expect(r.stderr).toMatch(/tmux\.session\["crashy"\]: not ready: its process exited within 1s \(ready_after_seconds\)( with status 3)?$/m);
    await expect.poll(() => pane("crashy"), { timeout: 10_000 }).toMatch(/^%\d+ 1 3$/);
    const dead = await pane("crashy");
    // Nothing is set to restart it, and no restart is pending: systemd shows one as the unit's state
    // (activating, auto-restart) and as a queued job. (mosaic sets no tmux hook that could respawn a pane.)
    expect(await unit("mosaic-agent@crashy.service")).toEqual({ ActiveState: "active", SubState: "exited", Result: "success", NRestarts: "0", Restart: "no" });
    expect(await unit("mosaic-tmux-holder.service")).toMatchObject({ ActiveState: "active", NRestarts: "0", Restart: "no" });
    expect((await box.systemctl(["list-jobs", "--no-legend"])).stdout.trim(), "jobs queued in the manager").toBe("");
    expect(await pane("crashy"), "the same dead pane: no new launch").toBe(dead);

    const status = await sh("mosaic fleet status");
    expect(status.stdout).toMatch(/^crashy +running +yes +dead \(status 3\) .* active \(exited\), enabled +pane-dead$/m);
    expect(status.stdout).toMatch(/^steady +running +yes +yes /m);
    // The agent died in its pane; its unit did not fail, so status has nothing from the journal to add.
    expect(status.stdout).not.toContain("failed");
  });

  it("a unit that fails is shown by status with its last journal lines, which say why", async () => {
    await ok("mosaic fleet stop");
    // As at boot: the manager starts the agent's unit while a session mosaic did not make holds its name.
    await ok("tmux -L mosaic-factory new-session -d -s steady sleep 100000");
    const start = await box.systemctl(["start", "mosaic-agent@steady.service"]);
    expect(start.exitCode).not.toBe(0);
    expect(await unit("mosaic-agent@steady.service")).toMatchObject({ ActiveState: "failed", Result: "exit-code" });

    const status = await sh("mosaic fleet status");
    expect(status.exitCode, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^steady +running +not mosaic's .* failed \(failed\), enabled /m);
    expect(status.stdout).toContain("mosaic-agent@steady.service failed (exit-code). Its last lines in the journal:\n");
    expect(status.stdout).toMatch(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d mosaic-agent@steady\[\d+\]: .*a session named steady on socket mosaic-factory was not made by mosaic; left it alone$/m);

    const json = JSON.parse((await ok("mosaic fleet status --json")).stdout) as { format_version: string; sessions: { name: string; unit_failure: { unit: string; result: string; journal: { message: string }[]; journal_problem: string | null } | null }[] };
    expect(json.format_version).toBe("1.1");
    const steady = json.sessions.find((s) => s.name === "steady")!;
    expect(steady.unit_failure).toMatchObject({ unit: "mosaic-agent@steady.service", result: "exit-code", journal_problem: null });
    expect(steady.unit_failure!.journal.some((l) => l.message.includes("was not made by mosaic; left it alone"))).toBe(true);
    expect(json.sessions.find((s) => s.name === "crashy")!.unit_failure).toBeNull();

    // agent status shows the same for that agent.
    expect((await sh("mosaic agent status steady")).stdout).toContain("mosaic-agent@steady.service failed (exit-code). Its last lines in the journal:");
    await tmux("kill-session", "-t", "=steady");
  });

  it("without journalctl, status still shows the failed unit and says it could not read the journal", async () => {
    const r = await sh(`mkdir -p $HOME/nojournal && for t in mosaic tmux systemctl node sh; do ln -sf "$(command -v $t)" $HOME/nojournal/$t; done && PATH=$HOME/nojournal mosaic fleet status`);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("mosaic-agent@steady.service failed (exit-code). Could not read the journal (journalctl not found on PATH); try: journalctl --user -u mosaic-agent@steady.service");
  });
});
