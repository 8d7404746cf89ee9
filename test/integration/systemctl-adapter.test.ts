import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failedUnits, isNoManager, SystemctlClient } from "../../src/adapters/systemctl.js";
import { parseUnits, type ObservedUnit } from "../../src/observe/parse-units.js";
import { repoRoot } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: the systemctl adapter tests need a user manager in a mount namespace: ${why}`);

// Throwaway units: an instance named bad fails to start (t@), or fails to stop (s@).
const UNITS: Record<string, string> = {
  "t@.service": "[Unit]\nDescription=throwaway %i\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh -c 'test %i != bad'\n\n[Install]\nWantedBy=default.target\n",
  "s@.service": "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\nExecStop=/bin/sh -c 'test %i != bad'\n",
  "g@.service": "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=default.target\n",
  "h@.service": "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n",
};

const captured = JSON.parse(readFileSync(join(repoRoot, "fixtures", "systemd", "unit-commands-252.json"), "utf8")) as { cases: { argv: string[]; stderr: string }[] };

describe.skipIf(why !== null)("the systemctl adapter against a real user manager", () => {
  const box = new SystemdSandbox();
  const log = join(box.root, "systemctl-calls");
  const unitDir = join(box.env.XDG_CONFIG_HOME!, "systemd", "user");
  let client: SystemctlClient;

  beforeAll(async () => {
    await box.start();
    mkdirSync(unitDir, { recursive: true });
    for (const [name, text] of Object.entries(UNITS)) writeFileSync(join(unitDir, name), text);
    // Inside the namespace systemctl sees a systemd host, so enable and disable go through the manager as on a desktop.
    client = new SystemctlClient({ env: box.env, binary: box.commandInside("systemctl", log) });
    expect(await client.daemonReload()).toMatchObject({ ok: true });
  });
  afterAll(() => box.dispose());

  /** The argument lines of every systemctl call the client made from now on. */
  function callsFromHere(): () => string[] {
    const lines = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "") : []);
    const before = lines().length;
    return () => lines().slice(before);
  }

  async function units(names: readonly string[], patterns: readonly string[] = []): Promise<ObservedUnit[]> {
    return parseUnits((await client.showUnits(names, patterns))!);
  }

  async function states(names: readonly string[]): Promise<Record<string, string>> {
    return Object.fromEntries((await units(names)).map((u) => [u.name, `${u.activeState} ${u.unitFileState}`]));
  }

  async function activeSince(unit: string): Promise<string> {
    return (await box.systemctl(["show", "-p", "ActiveEnterTimestampMonotonic", "--value", "--", unit])).stdout;
  }

  it("starts many units in one call; the failing one is named, and does not keep the others from starting", async () => {
    const calls = callsFromHere();
    const asked = ["t@a.service", "t@bad.service", "t@c.service"];
    const r = await client.unitCommand("start", asked);
    expect(calls()).toEqual(["--user --no-pager start -- t@a.service t@bad.service t@c.service"]);
    expect(r).toMatchObject({ ok: false, exitCode: 1 });
    expect(failedUnits(r.stderr, asked)).toEqual(["t@bad.service"]);
    expect(await states(asked)).toEqual({ "t@a.service": "active disabled", "t@bad.service": "failed disabled", "t@c.service": "active disabled" });
    // The checked-in fixture is what this systemd prints, word for word.
    const fixture = captured.cases.find((c) => c.argv.slice(3).join(" ") === "start -- t@a.service t@bad.service t@c.service");
    expect(`${r.stderr}\n`).toBe(fixture?.stderr);
  });

  it("names a unit that does not exist, and still starts the others", async () => {
    const asked = ["t@n1.service", "missing.service", "t@n2.service"];
    const r = await client.unitCommand("start", asked);
    expect(r).toMatchObject({ ok: false, exitCode: 5, stderr: "Failed to start missing.service: Unit missing.service not found." });
    expect(failedUnits(r.stderr, asked)).toEqual(["missing.service"]);
    expect(await states(["t@n1.service", "t@n2.service"])).toEqual({ "t@n1.service": "active disabled", "t@n2.service": "active disabled" });
  });

  it("stops many units in one call, and reports success even when a unit's ExecStop fails", async () => {
    expect(await client.unitCommand("start", ["s@ok.service", "s@bad.service", "t@st.service"])).toMatchObject({ ok: true });
    const calls = callsFromHere();
    const r = await client.unitCommand("stop", ["s@ok.service", "s@bad.service", "t@st.service"]);
    expect(calls()).toEqual(["--user --no-pager stop -- s@ok.service s@bad.service t@st.service"]);
    expect(r).toEqual({ ok: true, exitCode: 0, stdout: "", stderr: "" });
    const after = await units(["s@ok.service", "s@bad.service", "t@st.service"]);
    expect(after.map((u) => [u.name, u.activeState, u.result])).toEqual([
      ["s@ok.service", "inactive", "success"],
      ["s@bad.service", "failed", "exit-code"],
      ["t@st.service", "inactive", "success"],
    ]);
  });

  it("restarts many units in one call: a running one starts again, a stopped one starts, the failing one is named", async () => {
    expect(await client.unitCommand("start", ["t@r1.service"])).toMatchObject({ ok: true });
    const since = await activeSince("t@r1.service");
    const calls = callsFromHere();
    const asked = ["t@r1.service", "t@bad.service", "t@r2.service"];
    const r = await client.unitCommand("restart", asked);
    expect(calls()).toHaveLength(1);
    expect(r).toMatchObject({ ok: false, exitCode: 1 });
    expect(failedUnits(r.stderr, asked)).toEqual(["t@bad.service"]);
    expect(await activeSince("t@r1.service")).not.toBe(since);
    expect(await states(["t@r1.service", "t@r2.service"])).toEqual({ "t@r1.service": "active disabled", "t@r2.service": "active disabled" });
  });

  it("enables and disables many units in one call each, and the manager's view is fresh at once", async () => {
    const asked = ["t@e1.service", "t@e2.service"];
    expect(await client.unitCommand("start", ["t@e1.service"])).toMatchObject({ ok: true });
    let calls = callsFromHere();
    const enabled = await client.unitCommand("enable", asked);
    expect(calls()).toEqual(["--user --no-pager enable -- t@e1.service t@e2.service"]);
    expect(enabled).toMatchObject({ ok: true, exitCode: 0 });
    expect(enabled.stderr).toContain("Created symlink");
    expect(existsSync(join(unitDir, "default.target.wants", "t@e2.service"))).toBe(true);
    expect(await states(asked)).toEqual({ "t@e1.service": "active enabled", "t@e2.service": "inactive enabled" });

    calls = callsFromHere();
    expect(await client.unitCommand("disable", asked)).toMatchObject({ ok: true, exitCode: 0 });
    expect(calls()).toEqual(["--user --no-pager disable -- t@e1.service t@e2.service"]);
    expect(await states(asked)).toEqual({ "t@e1.service": "active disabled", "t@e2.service": "inactive disabled" });
  });

  it("enable is all or nothing: a missing unit is named and no unit is enabled; disable ignores a missing unit", async () => {
    const asked = ["t@e3.service", "missing.service"];
    const r = await client.unitCommand("enable", asked);
    expect(r).toMatchObject({ ok: false, exitCode: 1, stderr: "Failed to enable unit: Unit file missing.service does not exist." });
    expect(failedUnits(r.stderr, asked)).toEqual(["missing.service"]);
    expect(existsSync(join(unitDir, "default.target.wants", "t@e3.service"))).toBe(false);

    expect(await client.unitCommand("enable", ["t@e3.service"])).toMatchObject({ ok: true });
    expect(await client.unitCommand("disable", asked)).toMatchObject({ ok: true, exitCode: 0 });
    expect(existsSync(join(unitDir, "default.target.wants", "t@e3.service"))).toBe(false);
  });

  it("does nothing, and starts no process, for no units", async () => {
    const calls = callsFromHere();
    for (const verb of ["start", "stop", "restart", "enable", "disable"] as const) {
      expect(await client.unitCommand(verb, [])).toEqual({ ok: true, exitCode: 0, stdout: "", stderr: "" });
    }
    expect(await client.showUnits([], [])).toBe("");
    expect(calls()).toEqual([]);
  });

  it("daemonReload makes the manager read a changed unit file", async () => {
    expect(await client.unitCommand("start", ["t@dr.service"])).toMatchObject({ ok: true });
    writeFileSync(join(unitDir, "t@.service"), UNITS["t@.service"]!.replace("Description=throwaway", "Description=changed"));
    try {
      expect((await units(["t@dr.service"]))[0]?.needDaemonReload).toBe(true);
      const calls = callsFromHere();
      expect(await client.daemonReload()).toMatchObject({ ok: true, exitCode: 0 });
      expect(calls()).toEqual(["--user --no-pager daemon-reload"]);
      expect((await units(["t@dr.service"]))[0]).toMatchObject({ needDaemonReload: false, activeState: "active" });
    } finally {
      writeFileSync(join(unitDir, "t@.service"), UNITS["t@.service"]!);
      await client.daemonReload();
    }
  });

  describe("showUnits with a glob", () => {
    beforeAll(async () => {
      expect(await client.unitCommand("start", ["g@run.service", "g@gone.service", "h@1.service"])).toMatchObject({ ok: true });
      expect(await client.unitCommand("enable", ["g@idle.service"])).toMatchObject({ ok: true });
      expect(await client.unitCommand("stop", ["g@gone.service"])).toMatchObject({ ok: true });
    });

    it("lists, in the same call as named units and after them, every loaded instance: running, and enabled but stopped", async () => {
      const calls = callsFromHere();
      const found = await units(["t@a.service", "nothing.service"], ["g@*"]);
      expect(calls()).toHaveLength(1);
      expect(found.slice(0, 2).map((u) => [u.name, u.loadState])).toEqual([
        ["t@a.service", "loaded"],
        ["nothing.service", "not-found"],
      ]);
      const matched = Object.fromEntries(found.slice(2).map((u) => [u.name, `${u.activeState} ${u.unitFileState}`]));
      expect(matched).toMatchObject({ "g@run.service": "active disabled", "g@idle.service": "inactive enabled" });
    });

    it("needs --all for the stopped ones: a glob without it skips them", async () => {
      const bare = await box.systemctl(["show", "-p", "Id", "--", "g@*"]);
      expect(bare.stdout).toContain("Id=g@run.service");
      expect(bare.stdout).not.toContain("g@idle.service");
    });

    it("does not list a stopped, disabled instance once the manager unloads it", async () => {
      // The manager unloads it on its own schedule: wait until the listing no longer has it.
      const ids = await eventually(async () => {
        const listed = (await units([], ["g@*"])).map((u) => u.name);
        return listed.includes("g@gone.service") ? null : listed;
      }, { what: "a listing without the stopped, disabled g@gone.service" });
      expect(ids).toContain("g@run.service");
    });

    it("lists an instance still running after its template was deleted, as not-found", async () => {
      rmSync(join(unitDir, "h@.service"));
      expect(await client.daemonReload()).toMatchObject({ ok: true });
      expect((await units([], ["h@*"])).map((u) => [u.name, u.loadState, u.activeState])).toEqual([["h@1.service", "not-found", "active"]]);
    });

    it("prints a unit both named and matched twice, and a glob matching nothing adds nothing", async () => {
      expect((await units(["g@run.service"], ["g@*"])).filter((u) => u.name === "g@run.service")).toHaveLength(2);
      expect(await client.showUnits([], ["nomatch@*"])).toBe("");
      expect((await units(["g@run.service"], ["nomatch@*"])).map((u) => u.name)).toEqual(["g@run.service"]);
    });
  });
});

describe("the systemctl adapter's unit commands without a user manager", () => {
  it("return a failure that says there is none, blaming every unit", async () => {
    const run = mkdtempSync(join(tmpdir(), "mosaic-no-manager-"));
    try {
      const client = new SystemctlClient({ env: { PATH: process.env.PATH, XDG_RUNTIME_DIR: run } });
      const r = await client.unitCommand("start", ["a.service", "b.service"]);
      expect(r.ok).toBe(false);
      expect(isNoManager(r.stderr)).toBe(true);
      expect(failedUnits(r.stderr, ["a.service", "b.service"])).toEqual(["a.service", "b.service"]);
      expect(isNoManager((await client.daemonReload()).stderr)).toBe(true);
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });
});
