import { describe, expect, it } from "vitest";
import { launchFileContent, LAUNCH_FILE_FORMAT } from "../../src/adapters/tmux.js";

const launch = { name: "alpha", argv: ["pi", "x;", "a b"], cwd: "/srv", env: { PATH: "/opt/bin:/usr/bin", K: "v" }, labels: { managed: "1", spec: "v1:abc" } } as const;

describe("the launch file start-agent-session.sh reads", () => {
  const fields = launchFileContent(launch, "fleet", "/cfg/mosaic.tmux.conf").split("\0");

  it("is NUL-terminated fields: format, socket, config, name, spec, then tmux's arguments as mosaic runs them", () => {
    expect(fields.at(-1)).toBe("");
    expect(fields.slice(0, 5)).toEqual([LAUNCH_FILE_FORMAT, "fleet", "/cfg/mosaic.tmux.conf", "alpha", "v1:abc"]);
    const args = fields.slice(5, -1);
    expect(args.slice(0, 8)).toEqual(["new-session", "-d", "-P", "-F", "#{pane_id}", "-s", "alpha", "-x"]);
    // The pane's argv, with the roster's PATH restored through env and a trailing ';' escaped for tmux.
    expect(args.slice(args.indexOf("--"), args.indexOf("--") + 6)).toEqual(["--", "env", "--", "PATH=/opt/bin:/usr/bin", "pi", "x\\;"]);
    // The session's label, the pane id filled in by tmux (-F): the same label a direct launch carries.
    expect(args.slice(args.indexOf("@mosaic") - 4, args.indexOf("@mosaic") + 2)).toEqual(["set-option", "-F", "-t", "=alpha:", "@mosaic", "v2 pane=#{pane_id} managed=1 spec=v1:abc"]);
  });

  it("refuses a NUL byte, which would shift every field after it", () => {
    expect(() => launchFileContent({ ...launch, argv: ["pi", "a\0b"] }, "fleet", "/c")).toThrow(/NUL/);
  });
});
