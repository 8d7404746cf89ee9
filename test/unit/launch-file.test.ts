import { describe, expect, it } from "vitest";
import { launchFileContent, LAUNCH_FILE_FORMAT, readLaunchFile } from "../../src/identity/launch-file.js";
import { legacyLaunchFileContent } from "../helpers/legacy-launch-file.js";

const SPEC = `v1:${"ab".repeat(32)}`;
const launch = { name: "alpha", argv: ["pi", "x;", "a b"], cwd: "/srv", env: { PATH: "/opt/bin:/usr/bin", K: "v" }, labels: { managed: "1", spec: SPEC, stopGrace: "7", roster: "0123456789abcdef" } } as const;

describe("the launch file the units start from", () => {
  it("holds the launch as data, read back exactly: no command line to parse", () => {
    const content = launchFileContent(launch, "fleet", "/cfg/mosaic.tmux.conf");
    expect(JSON.parse(content).format).toBe(LAUNCH_FILE_FORMAT);
    const read = readLaunchFile(content);
    expect(read).toEqual({
      ok: true,
      file: { socket: "fleet", config: "/cfg/mosaic.tmux.conf", session: "alpha", spec: SPEC, roster: "0123456789abcdef", grace: "7", start: { launch } },
    });
  });

  it("reads a file mosaic 0.1.0 wrote (format 1): its facts, and tmux's arguments to run as recorded", () => {
    for (const separateLabels of [false, true]) {
      const read = readLaunchFile(legacyLaunchFileContent(launch, "fleet", "/cfg/c", { separateLabels }));
      expect(read.ok).toBe(true);
      if (!read.ok) continue;
      expect({ ...read.file, start: undefined }).toEqual({ socket: "fleet", config: "/cfg/c", session: "alpha", spec: SPEC, roster: "0123456789abcdef", grace: "7", start: undefined });
      expect("recordedArgs" in read.file.start && read.file.start.recordedArgs.slice(0, 7)).toEqual(["new-session", "-d", "-P", "-F", "#{pane_id}", "-s", "alpha"]);
    }
  });

  it("reads a format-1 label with a repeated key as no label, as the one label parser does", () => {
    const forged = legacyLaunchFileContent(launch, "fleet", "/c").replace("v2 pane=#{pane_id} managed=1", "v2 pane=#{pane_id} managed=1 pane=%1");
    expect(readLaunchFile(forged)).toMatchObject({ ok: false });
  });

  it.each([
    ["a negative grace", { stopGrace: "-1" }],
    ["a grace too long to be one", { stopGrace: "999999" }],
    ["a spec that is no spec hash", { spec: "v1:short" }],
    ["a label value with a space", { launch: "re sume" }],
    ["no managed mark", { managed: undefined }],
  ])("refuses labels the one parser would not take back as mosaic's: %s", (_what, labels) => {
    const content = launchFileContent({ ...launch, labels: { ...launch.labels, ...labels } as typeof launch.labels }, "fleet", "/c");
    expect(readLaunchFile(content)).toMatchObject({ ok: false, problem: expect.stringContaining("labels") });
  });

  it.each([
    ["empty", ""],
    ["not JSON", "hello"],
    ["another format", JSON.stringify({ format: "mosaic-launch-v9" })],
    ["a field of the wrong type", JSON.stringify({ format: LAUNCH_FILE_FORMAT, socket: "s", config: "c", launch: { name: "a", argv: "pi", cwd: "/", env: {}, labels: {} } })],
    ["an empty argv", JSON.stringify({ format: LAUNCH_FILE_FORMAT, socket: "s", config: "c", launch: { name: "a", argv: [], cwd: "/", env: {}, labels: {} } })],
    ["a format-1 file cut short", "mosaic-launch-v1\0s\0c\0"],
  ])("refuses %s", (_what, content) => {
    expect(readLaunchFile(content)).toMatchObject({ ok: false });
  });
});
