import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { useFleetWorld } from "../helpers/fleet-env.js";

describe("fleet status --watch", () => {
  const world = useFleetWorld();

  it("without a terminal prints one snapshot after another, each dated, until Ctrl+C, then exits 0; --json gives one document per line", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }], { defaults: { command: "sleep", args: ["100000"], ready_after_seconds: 0 } });
    await w.ok(["fleet", "apply", "--auto-approve"]);
    for (const json of [false, true]) {
      const watch = execa(process.execPath, [cliPath, "fleet", "status", "--watch", "--interval", "0.2", ...(json ? ["--json"] : []), "--roster", w.rosterPath], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
      let out = "";
      watch.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      const looks = () => (json ? out.split("\n").filter((l) => l.startsWith("{")).length : out.split("Fleet on tmux socket").length - 1);
      await expect.poll(looks, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      watch.kill("SIGINT");
      const r = await watch;
      expect(r.exitCode).toBe(0);
      if (json) for (const line of r.stdout.split("\n").filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ format_version: expect.any(String), socket: w.socket });
      else expect(r.stdout).toMatch(/^--- \d{4}-\d\d-\d\dT.*\nEvery 0\.2s: mosaic fleet status/m);
    }
  });

  it("on a terminal redraws in place: the screen holds one table, however many looks", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }], { defaults: { command: "sleep", args: ["100000"], ready_after_seconds: 0 } });
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const term = (args: string[]) => execa("tmux", ["-L", "watcher", "-f", "/dev/null", ...args], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
    try {
      await term(["new-session", "-d", "-s", "t", "-x", "150", "-y", "40", "--", process.execPath, cliPath, "fleet", "status", "--watch", "--interval", "0.2", "--roster", w.rosterPath]);
      const screen = async () => (await term(["capture-pane", "-p", "-S", "-", "-t", "=t:"])).stdout;
      const first = await (async () => {
        await expect.poll(async () => /^alpha .* (\d+)s /m.exec(await screen()) !== null, { timeout: 10_000 }).toBe(true);
        return Number(/^alpha .* (\d+)s /m.exec(await screen())![1]);
      })();
      // Looks later (its uptime has moved on, at 0.2 s a look: several looks), still one table on the screen and in its scrollback.
      await expect.poll(async () => Number(/^alpha .* (\d+)s /m.exec(await screen())?.[1] ?? -1), { timeout: 10_000 }).toBeGreaterThanOrEqual(first + 2);
      expect((await screen()).split("Fleet on tmux socket").length - 1).toBe(1);
    } finally {
      await term(["kill-server"]);
    }
  });

  it("--interval without --watch, or under 0.1 s, is refused", async () => {
    const w = world();
    w.writeRoster([{ name: "alpha" }]);
    expect((await w.mosaic(["fleet", "status", "--interval", "5"])).stderr).toContain("--interval is for --watch");
    expect((await w.mosaic(["fleet", "status", "--watch", "--interval", "0"])).stderr).toContain("--interval takes at least 0.1 seconds");
  });
});
