import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { FleetWorld, useFleetWorld } from "../helpers/fleet-env.js";

const world = useFleetWorld();
let w: FleetWorld;
let driver: string;

beforeEach(() => {
  w = world();
  driver = `${w.socket}-terminal`;
  w.writeRoster([{ name: "alpha" }]);
});
// After hooks run last-registered first: the terminal's server goes before the world's folder.
afterEach(async () => {
  await execa("tmux", ["-L", driver, "kill-server"], { env: { ...w.env, PATH: process.env.PATH ?? "" }, extendEnv: false, reject: false });
});

/**
 * Run `mosaic fleet apply` on a real terminal (a pane of a tmux server of the
 * test's own) and answer the prompt: a line typed literally then Enter, or
 * one key by its tmux name (`{ key: "C-c" }`).
 */
async function applyOnTerminal(answer: string | { key: string }, command: string[] = ["fleet", "apply"]): Promise<string> {
  const tmux = (args: string[]) => execa("tmux", ["-L", driver, ...args], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
  const script = `node=$0 cli=$1 roster=$2; shift 2; "$node" "$cli" "$@" --roster "$roster"; echo "exit=$?"; sleep 600`;
  await tmux(["new-session", "-d", "-s", "term", "-x", "200", "-y", "50", "--", "sh", "-c", script, process.execPath, cliPath, w.rosterPath, ...command]);
  const screen = async () => (await tmux(["capture-pane", "-p", "-t", "=term:"])).stdout;
  await expect.poll(screen, { timeout: 10_000 }).toContain("[y/N]");
  if (typeof answer === "string") {
    await tmux(["send-keys", "-t", "=term:", "-l", answer]);
    await tmux(["send-keys", "-t", "=term:", "Enter"]);
  } else {
    await tmux(["send-keys", "-t", "=term:", answer.key]);
  }
  await expect.poll(screen, { timeout: 10_000 }).toMatch(/exit=\d/);
  return screen();
}

describe("fleet apply on a terminal", () => {
  it("asks before changing anything, and applies on 'y'", async () => {
    const screen = await applyOnTerminal("y");
    expect(screen).toContain("Apply these actions? Only 'yes' or 'y' applies. [y/N]");
    expect(screen).toContain("Apply complete!");
    expect(screen).toContain("exit=0");
    expect(await w.sessionNames()).toEqual(["_holder", "alpha"]);
  });

  it("changes nothing on any other answer", async () => {
    const screen = await applyOnTerminal("n");
    expect(screen).toContain("Apply cancelled; nothing was changed.");
    expect(screen).toContain("exit=1");
    expect(await w.sessionNames()).toEqual([]);
  });

  it.each([
    ["Ctrl+C", "C-c"],
    ["Ctrl+D", "C-d"],
  ])("takes %s as a cancel, changing nothing", async (_name, key) => {
    const screen = await applyOnTerminal({ key });
    expect(screen).toContain("exit=1");
    expect(screen).toMatch(/\[y\/N\] *\nApply cancelled; nothing was changed\.\n/);
    expect(screen).not.toContain("error:");
    expect(await w.sessionNames()).toEqual([]);
  });
});

describe("fleet restart and agent reset on a terminal", () => {
  const pid = async () => (await w.tmux(["display-message", "-p", "-t", "=alpha:", "#{pane_pid}"])).stdout.trim();

  it.each([[["fleet", "restart"]], [["agent", "reset", "alpha"]]])("%j shows the plan and asks; any answer but 'y' replaces nothing", async (command) => {
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const before = await pid();
    const screen = await applyOnTerminal("n", command);
    expect(screen).toMatch(/-\/\+ alpha +replace: (restart|reset) requested/);
    expect(screen).toContain("Apply these actions? Only 'yes' or 'y' applies. [y/N]");
    expect(screen).toContain("exit=1");
    expect(await pid()).toBe(before);
  });

  it("replaces on 'y'", async () => {
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const before = await pid();
    const screen = await applyOnTerminal("y", ["agent", "reset", "alpha"]);
    expect(screen).toContain("exit=0");
    expect(await pid()).not.toBe(before);
  });

  it("without a terminal goes ahead, as the runbook's scripts need", async () => {
    await w.ok(["fleet", "apply", "--auto-approve"]);
    const before = await pid();
    await w.ok(["fleet", "restart"]);
    expect(await pid()).not.toBe(before);
  });
});

describe("an answer typed before the question", () => {
  it("is not taken: a 'y' typed ahead, before the plan was shown, applies nothing", async () => {
    const tmux = (args: string[]) => execa("tmux", ["-L", driver, ...args], { env: { ...w.env, PATH: process.env.PATH ?? "", NO_COLOR: "1" }, extendEnv: false, reject: false });
    const go = `${w.home.path}/go`;
    // mosaic starts only once the test says so; what is typed before then waits in the terminal, as type-ahead does.
    const script = `while [ ! -e "$3" ]; do sleep 0.05; done; "$0" "$1" fleet apply --roster "$2"; echo "exit=$?"; sleep 600`;
    await tmux(["new-session", "-d", "-s", "term", "-x", "200", "-y", "50", "--", "sh", "-c", script, process.execPath, cliPath, w.rosterPath, go]);
    await tmux(["send-keys", "-t", "=term:", "-l", "y"]);
    await tmux(["send-keys", "-t", "=term:", "Enter"]);
    const screen = async () => (await tmux(["capture-pane", "-p", "-t", "=term:"])).stdout;
    await expect.poll(screen, { timeout: 10_000 }).toContain("y");
    writeFileSync(go, "");
    await expect.poll(screen, { timeout: 10_000 }).toContain("[y/N]");
    // The question waits for an answer given to it: this one.
    await tmux(["send-keys", "-t", "=term:", "-l", "n"]);
    await tmux(["send-keys", "-t", "=term:", "Enter"]);
    await expect.poll(screen, { timeout: 10_000 }).toMatch(/exit=\d/);
    expect(await screen()).toContain("exit=1");
    expect(await w.sessionNames()).toEqual([]);
  });
});
