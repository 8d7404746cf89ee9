import { forgedLabels } from "../helpers/forged-labels.js";
import { describe, expect, it } from "vitest";
import { formatSessionLabel, parseLegacyLabels, parseSessionLabel } from "../../src/identity/session-label.js";

const spec = `v1:${"ab".repeat(32)}`;
const labels = { managed: "1", spec, specFields: "args=0a1b2c3d,command=1a2b3c4d", launch: "resume", stopGrace: "10", roster: "0123456789abcdef" } as const;

describe("the @mosaic session label", () => {
  it("holds every fact in one line, the pane first, for tmux to fill in", () => {
    expect(formatSessionLabel(labels, "#{pane_id}")).toBe(`v2 pane=#{pane_id} managed=1 spec=${spec} fields=args=0a1b2c3d,command=1a2b3c4d launch=resume grace=10 roster=0123456789abcdef`);
    expect(formatSessionLabel({ managed: "1" }, null)).toBe("v2 managed=1");
  });

  it("reads back what it wrote", () => {
    expect(parseSessionLabel(formatSessionLabel(labels, "%12"))).toEqual({
      managed: true,
      spec,
      specFields: { args: "0a1b2c3d", command: "1a2b3c4d" },
      launch: "resume",
      pane: "%12",
      roster: "0123456789abcdef",
      grace: "10",
    });
  });

  it("refuses to write a value that would split the line or be expanded by tmux", () => {
    expect(() => formatSessionLabel({ ...labels, launch: "re sume" }, null)).toThrow(/launch/);
    expect(() => formatSessionLabel({ ...labels, spec: "#{pane_pid}" }, null)).toThrow(/spec/);
    expect(() => formatSessionLabel(labels, "%1 managed=1")).toThrow(/pane/);
  });

  const none = { managed: false, spec: null, specFields: null, launch: null, pane: null, roster: null, grace: null };
  it.each([
    ["another version", `v3 managed=1 spec=${spec}`],
    ["no version", `managed=1 spec=${spec}`],
    ["an unknown key", "v2 managed=1 owner=me"],
    ["a repeated key", "v2 pane=%1 managed=1 pane=%2"],
    ["a token without a key", "v2 =1 managed=1"],
    ["a token without =", "v2 managed"],
    ["two spaces", "v2  managed=1"],
    ["a control character shown as ?", "v2 managed=1?pane=%2"],
  ])("is no label at all with %s", (_, value) => {
    expect(parseSessionLabel(value)).toEqual(none);
  });

  it.each(forgedLabels(formatSessionLabel(labels, "%12"), "%13"))("is no label at all with %s, as every path reads it (the forged-label corpus)", (_, value) => {
    // tmux shows a control character of an option as ? (adapters/tmux.ts sanitised()).
    expect(parseSessionLabel(value.replace(/[\x01-\x1f]/g, "?"))).toEqual(none);
  });

  it("takes each value only in the form mosaic writes", () => {
    expect(parseSessionLabel("v2 pane=%1x managed=yes spec=v1:short launch=maybe roster=0123456789abcdeg grace=-1")).toEqual(none);
  });

  it("reads the separate labels an older mosaic wrote the same way", () => {
    expect(parseLegacyLabels({ managed: "1", spec, specFields: "cwd=2a3b4c5d", launch: "new", pane: "%3", roster: "" })).toEqual({
      managed: true,
      spec,
      specFields: { cwd: "2a3b4c5d" },
      launch: "new",
      pane: "%3",
      roster: null,
      grace: null,
    });
  });
});
