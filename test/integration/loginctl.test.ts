import { execa } from "execa";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lingering, parseLingering } from "../../src/adapters/loginctl.js";
import { SystemdSandbox } from "../helpers/systemd-sandbox.js";

const env = { PATH: process.env.PATH, LANG: "C.UTF-8" };
const hasLoginctl = (await execa("loginctl", ["--version"], { reject: false })).exitCode === 0;
if (!hasLoginctl) console.warn("SKIPPED: loginctl is not installed here");

describe.skipIf(!hasLoginctl)("lingering, with this machine's loginctl", () => {
  it("gives the answer loginctl's own output gives, whatever this host is", async () => {
    const r = await execa("loginctl", ["show-user", "-p", "Linger", "--value", "--", "root"], { env, extendEnv: false, reject: false });
    const answer = await lingering("root", env);
    expect(answer).toEqual(parseLingering({ exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr }));
    // Nobody to ask is not a no.
    if (/Failed to connect to bus/.test(r.stderr)) expect(answer).toMatchObject({ state: "unknown", why: expect.stringContaining("Failed to connect to bus") });
  });

  it("passes a user name that starts with a dash as a name, not an option", async () => {
    const answer = await lingering("-x", env);
    expect(JSON.stringify(answer)).not.toContain("invalid option");
  });
});

describe("lingering without loginctl", () => {
  it("is unknown, and says why", async () => {
    expect(await lingering("root", { PATH: "/nonexistent" })).toEqual({ state: "unknown", why: "loginctl is not installed" });
    expect(await lingering("", env)).toEqual({ state: "unknown", why: "no user name to ask about" });
  });
});

const why = await SystemdSandbox.unavailable();
if (why) console.warn(`SKIPPED: loginctl on a systemd host without logind needs a mount namespace: ${why}`);

describe.skipIf(why !== null || !hasLoginctl)("lingering on a systemd host whose system bus is missing (the sandbox)", () => {
  const box = new SystemdSandbox();
  beforeAll(() => box.start());
  afterAll(() => box.dispose());

  it("is unknown, with loginctl's reason", async () => {
    const inside = box.commandInside("loginctl", join(box.root, "loginctl-calls"));
    expect(await lingering("root", box.env, inside)).toEqual({ state: "unknown", why: "Failed to connect to bus: No such file or directory" });
  });
});
