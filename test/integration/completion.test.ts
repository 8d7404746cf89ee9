import { execa } from "execa";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { complete, type CommandShape } from "../../src/cli/completion.js";
import { cliPath } from "../helpers/cli.js";
import { useFleetWorld } from "../helpers/fleet-env.js";

describe("mosaic completion bash, in a real bash", () => {
  const world = useFleetWorld();

  it("completes commands, options and the roster's agent names", async () => {
    const w = world();
    w.writeRoster([{ name: "canary-pi" }, { name: "canary-claude" }, { name: "shop-pi" }]);
    const bin = join(w.home.path, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "mosaic"), `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`, { mode: 0o755 });
    // What bash offers after TAB: COMPREPLY once the function mosaic's script registered has run.
    const offered = async (...words: string[]) => {
      const script = `source <(mosaic completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mosaic; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = await execa("bash", ["-c", script, "bash", "mosaic", ...words], { env: { ...w.env, PATH: `${bin}:${process.env.PATH}` }, extendEnv: false, reject: false });
      expect(r.stderr).toBe("");
      return r.stdout.split("\n").filter(Boolean);
    };
    expect(await offered("fl")).toEqual(["fleet"]);
    expect(await offered("fleet", "pl")).toEqual(["plan"]);
    expect(await offered("fleet", "plan", "--det")).toEqual(["--detailed", "--detailed-exitcode"]);
    expect(await offered("agent", "send", "--roster", w.rosterPath, "canary-")).toEqual(["canary-claude", "canary-pi"]);
    expect(await offered("fleet", "stop", "--roster", w.rosterPath, "--agent", "")).toEqual(["canary-claude", "canary-pi", "shop-pi"]);
    // A broken roster offers no names, and says nothing.
    writeFileSync(w.rosterPath, "agents: [");
    expect(await offered("agent", "send", "--roster", w.rosterPath, "")).toEqual([]);
  });

  it("refuses a shell it does not know", async () => {
    const r = await execa(process.execPath, [cliPath, "completion", "tcsh"], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("completion: name one shell: bash, zsh, fish");
  });
});

describe("complete(), the one implementation behind every shell's script", () => {
  const commands: CommandShape[] = [
    { path: ["agent", "send"], options: [{ names: ["-m", "--message"], value: "TEXT" }], takesAgents: true },
    { path: ["fleet", "stop"], options: [{ names: ["--agent"], value: "NAME" }, { names: ["--socket"], value: "NAME" }], takesAgents: false },
  ];
  const agents = () => ["a1", "a2"];

  it("offers no agent names where the value is free text, and none twice", () => {
    expect(complete(["agent", "send", "-m"], "", commands, agents)).toEqual([]);
    expect(complete(["agent", "send", "a1"], "", commands, agents)).toEqual(["a2"]);
    expect(complete(["fleet", "stop"], "", commands, agents)).toEqual([]);
    expect(complete(["fleet", "stop", "--socket"], "", commands, agents)).toEqual([]);
    expect(complete(["fleet", "stop", "--agent"], "a", commands, agents)).toEqual(["a1", "a2"]);
  });
});
