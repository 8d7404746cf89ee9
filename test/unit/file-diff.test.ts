import { describe, expect, it } from "vitest";
import { fileDiff } from "../../src/render/file-diff.js";

const UNIT = "[Unit]\nDescription=agent\n\n[Service]\nType=oneshot\nExecStart=/bin/start\nExecStop=/bin/stop\n";

describe("fileDiff", () => {
  it("shows an update as a unified diff with a/ and b/ headers and three lines of context", () => {
    expect(fileDiff("units/mosaic-agent@.service", UNIT, UNIT.replace("/bin/start", "/bin/start --new"))).toBe(
      [
        "--- a/units/mosaic-agent@.service",
        "+++ b/units/mosaic-agent@.service",
        "@@ -3,5 +3,5 @@",
        " ",
        " [Service]",
        " Type=oneshot",
        "-ExecStart=/bin/start",
        "+ExecStart=/bin/start --new",
        " ExecStop=/bin/stop",
        "",
      ].join("\n"),
    );
  });

  it("shows a create from /dev/null, with the new file's mode", () => {
    expect(fileDiff("tools/start.sh", null, "#!/bin/sh\nexit 0\n", { after: 0o755 })).toBe(
      ["--- /dev/null", "+++ b/tools/start.sh", "mode 0755", "@@ -0,0 +1,2 @@", "+#!/bin/sh", "+exit 0", ""].join("\n"),
    );
    expect(fileDiff("empty", null, "")).toBe("--- /dev/null\n+++ b/empty\n");
    expect(fileDiff("empty", "", null)).toBe("--- a/empty\n+++ /dev/null\n");
  });

  it("shows a delete to /dev/null", () => {
    expect(fileDiff("tools/old.sh", "#!/bin/sh\n", null, { before: 0o755 })).toBe(["--- a/tools/old.sh", "+++ /dev/null", "@@ -1,1 +0,0 @@", "-#!/bin/sh", ""].join("\n"));
  });

  it("shows a mode-only change with no hunk, and a mode line beside a content change", () => {
    expect(fileDiff("tools/start.sh", "x\n", "x\n", { before: 0o644, after: 0o755 })).toBe("--- a/tools/start.sh\n+++ b/tools/start.sh\nmode 0644 -> 0755\n");
    expect(fileDiff("t", "x\n", "y\n", { before: 0o600, after: 0o4755 })).toBe("--- a/t\n+++ b/t\nmode 0600 -> 4755\n@@ -1,1 +1,1 @@\n-x\n+y\n");
  });

  it("labels an absolute path as git does, a/ and b/ before the path without its leading slash", () => {
    expect(fileDiff("/home/op/.config/systemd/user/x.service", "a\n", "b\n")).toBe("--- a/home/op/.config/systemd/user/x.service\n+++ b/home/op/.config/systemd/user/x.service\n@@ -1,1 +1,1 @@\n-a\n+b\n");
    expect(fileDiff("/tmp/t", null, "")).toBe("--- /dev/null\n+++ b/tmp/t\n");
  });

  it("is empty when nothing differs, or a mode is not known on both sides", () => {
    expect(fileDiff("t", UNIT, UNIT)).toBe("");
    expect(fileDiff("t", UNIT, UNIT, { before: 0o644, after: 0o644 })).toBe("");
    expect(fileDiff("t", UNIT, UNIT, { after: 0o755 })).toBe("");
    expect(fileDiff("t", null, null, { before: 0o644 })).toBe("");
  });

  it("marks a side that has no newline at its end", () => {
    expect(fileDiff("t", "a\nb", "a\nb\n")).toBe("--- a/t\n+++ b/t\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  });

  it("escapes every character that could repaint the terminal, in content and in the label", () => {
    const hostile = "ExecStart=/bin/x\x1b[2J\x1b[H\r\nDescription=\u202eevil\x9b31m\n";
    const out = fileDiff("units/a\x1b]0;title\x07.service", "ExecStart=/bin/x\n", hostile);
    expect(out).toBe(
      [
        "--- a/units/a\\e]0;title\\x07.service",
        "+++ b/units/a\\e]0;title\\x07.service",
        "@@ -1,1 +1,2 @@",
        "-ExecStart=/bin/x",
        "+ExecStart=/bin/x\\e[2J\\e[H\\r",
        "+Description=\\u202eevil\\x9b31m",
        "",
      ].join("\n"),
    );
    // Only the newlines that end the diff's own lines remain raw.
    expect(out.replace(/\n/g, "")).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
  });
});
