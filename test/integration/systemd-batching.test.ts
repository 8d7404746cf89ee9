import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemd batching tests need a user manager in a mount namespace: ${why}`);

const SOCKET = "batch-fleet";
const AGENTS = ["agent-1", "agent-2", "agent-3", "agent-4", "agent-5", "agent-6"] as const;
const HOLDER_UNIT = "mosaic-tmux-holder.service";
const agentUnits = AGENTS.map((a) => `mosaic-agent@${a}.service`);

/** One logged `systemctl` call: its verb (the first word that is not an option) and the units after `--`. */
interface Call {
  readonly verb: string;
  readonly units: readonly string[];
}

function parseCall(line: string): Call {
  const words = line.split(" ");
  const end = words.indexOf("--");
  return { verb: words.find((w) => !w.startsWith("-")) ?? "", units: end < 0 ? [] : words.slice(end + 1) };
}

/**
 * A fleet of six agents under the systemd backend costs a constant number
 * of systemctl calls: the executor sends the unit steps of one verb that
 * become ready together to systemd as one call. Measured with a logging `systemctl` first on
 * the PATH the CLI runs with, inside the sandbox's namespace.
 */
describe.skipIf(why !== null)("a six-agent fleet under systemd --user", () => {
  const box = new SystemdSandbox();
  const log = () => join(box.root, "systemctl.log");
  /** A command line as the user types it, inside the sandbox. */
  const sh = (line: string) => box.run(["sh", "-c", line]);
  const ok = async (line: string) => {
    const r = await sh(line);
    expect(r.exitCode, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return r;
  };
  /** The calls that change units, since the log was last emptied: every `systemctl --user` call but `show`. */
  const unitCalls = () =>
    readFileSync(log(), "utf8")
      .split("\n")
      .filter(Boolean)
      .map(parseCall)
      .filter((c) => c.verb !== "show");
  const sessions = async () => (await box.run(["tmux", "-L", SOCKET, "list-sessions", "-F", "#{session_name}"])).stdout.split("\n").filter(Boolean).sort();
  const activeState = async (unit: string) => (await box.systemctl(["show", "-p", "ActiveState", "--value", unit])).stdout.trim();

  beforeAll(async () => {
    await box.start();
    const real = (await box.run(["sh", "-c", "command -v systemctl"])).stdout.trim();
    expect(real).toMatch(/^\/[\w/.-]+$/);
    // mosaic on the user's PATH, and before it a systemctl that logs each call and runs the real one
    // (the CLI runs inside the namespace, so the real systemctl reaches the sandbox's manager).
    const bin = join(box.root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "mosaic"), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    writeFileSync(join(bin, "systemctl"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log()}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, "mosaic"), 0o755);
    chmodSync(join(bin, "systemctl"), 0o755);
    box.env.PATH = `${bin}:${box.env.PATH}`;
    box.env.USER = "op";

    const roster = join(box.env.XDG_CONFIG_HOME!, "mosaic", "fleet", "roster.yaml");
    mkdirSync(join(roster, ".."), { recursive: true });
    writeFileSync(
      roster,
      JSON.stringify({
        socket: SOCKET,
        backend: "systemd",
        defaults: { command: "sleep", args: ["100000"], ready_after_seconds: 0.2, stop_grace_seconds: 1 },
        agents: AGENTS.map((name) => ({ name })),
      }),
    );
    await ok("mosaic fleet install-systemd --reload");
    // The logging systemctl is the one the CLI ran.
    expect(unitCalls()).toContainEqual({ verb: "daemon-reload", units: [] });
  });
  afterAll(async () => {
    await box.run(["tmux", "-L", SOCKET, "kill-server"]);
    await box.dispose();
  });

  it("fleet start enables every unit in one call, starts the holder, then all six agents in one call", async () => {
    writeFileSync(log(), "");
    const r = await ok("mosaic fleet start");
    expect(r.stdout).toContain("Apply complete!");
    expect(await sessions()).toEqual(["_holder", ...AGENTS].sort());

    const calls = unitCalls();
    const enables = calls.filter((c) => c.verb === "enable");
    expect(enables).toHaveLength(1);
    expect([...enables[0]!.units].sort()).toEqual([HOLDER_UNIT, ...agentUnits].sort());
    const starts = calls.filter((c) => c.verb === "start");
    const withAgents = starts.filter((c) => c.units.some((u) => u !== HOLDER_UNIT));
    expect(withAgents).toHaveLength(1);
    expect([...withAgents[0]!.units].filter((u) => u !== HOLDER_UNIT).sort()).toEqual([...agentUnits].sort());
    // Any other start is the holder's own, before the agents' (they require it).
    const others = starts.filter((c) => c !== withAgents[0]);
    expect(others.every((c) => c.units.length === 1 && c.units[0] === HOLDER_UNIT), JSON.stringify(starts)).toBe(true);
    expect(others.every((c) => calls.indexOf(c) < calls.indexOf(withAgents[0]!))).toBe(true);
    expect(calls.filter((c) => !["enable", "start"].includes(c.verb)), JSON.stringify(calls)).toEqual([]);
    for (const u of [HOLDER_UNIT, ...agentUnits]) expect(await activeState(u), u).toBe("active");
  });

  it("fleet stop stops all six agents in one call, then the holder in another", async () => {
    writeFileSync(log(), "");
    await ok("mosaic fleet stop");
    expect(await sessions()).toEqual([]);

    const calls = unitCalls();
    expect(calls, JSON.stringify(calls)).toHaveLength(2);
    expect(calls[0]!.verb).toBe("stop");
    expect([...calls[0]!.units].sort()).toEqual([...agentUnits].sort());
    expect(calls[1]).toEqual({ verb: "stop", units: [HOLDER_UNIT] });
    for (const u of [HOLDER_UNIT, ...agentUnits]) expect(await activeState(u), u).toBe("inactive");
  });
});
