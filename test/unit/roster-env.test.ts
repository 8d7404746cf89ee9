import { describe, expect, it } from "vitest";
import { errorsOf, parse, y } from "../helpers/roster.js";

const TMUX_SETS = "is set by tmux in every pane; the roster cannot set it";
const MOSAIC_SETS = "is set by mosaic for every agent; the roster cannot set it";

// A value the launch would silently replace must be refused where it is written, not lost at run time.
describe("env keys that tmux or mosaic set themselves", () => {
  it.each([
    ["TMUX", TMUX_SETS],
    ["TMUX_PANE", TMUX_SETS],
    ["TERM_PROGRAM", TMUX_SETS],
    ["TERM_PROGRAM_VERSION", TMUX_SETS],
    ["MOSAIC_AGENT_NAME", MOSAIC_SETS],
    ["MOSAIC_FLEET_SOCKET", MOSAIC_SETS],
  ])("refuses %s at the key", (key, message) => {
    expect(errorsOf(y(["agents:", "  - name: a", "    command: pi", "    env:", `      ${key}: x`]))).toEqual([`roster.yaml:5:7: agents[0].env.${key}: ${message}`]);
  });

  it("refuses them in defaults.env too, and reports every one at once", () => {
    expect(errorsOf(y(["defaults:", "  env: { TMUX: x, OK: y }", "agents:", "  - name: a", "    command: pi", "    env:", "      MOSAIC_AGENT_NAME: b"]))).toEqual([
      `roster.yaml:2:10: defaults.env.TMUX: ${TMUX_SETS}`,
      `roster.yaml:7:7: agents[0].env.MOSAIC_AGENT_NAME: ${MOSAIC_SETS}`,
    ]);
  });

  it("points at the key inside a shared anchor", () => {
    const errors = errorsOf(y(["x-env: &env", "  TMUX_PANE: '%1'", "agents:", "  - name: a", "    command: pi", "    env: *env"]));
    expect(errors).toEqual([`roster.yaml:2:3: agents[0].env.TMUX_PANE: ${TMUX_SETS}`]);
  });

  it.each(["PATH", "TERM", "tmux", "Mosaic_x", "MOSAICX", "TMUX_TMPDIR", "MY_TMUX"])("keeps %s, which nothing replaces (or the launch passes through)", (key) => {
    expect(parse(y(["agents:", "  - name: a", "    command: pi", "    env:", `      ${key}: x`])).agents[0]!.env).toEqual({ [key]: "x" });
  });
});
