import { describe, expect, it } from "vitest";
import { journalArgs, parseJournal } from "../../src/adapters/journal.js";
import { renderUnitFailures } from "../../src/render/status-text.js";

const A = "mosaic-agent@a.service";
const H = "mosaic-tmux-holder.service";
const row = (fields: Record<string, unknown>) => JSON.stringify({ __REALTIME_TIMESTAMP: "1764067200000000", _PID: "42", ...fields });

describe("journalctl for failed units", () => {
  it("asks for every unit in one call, each by its identifier, its user unit and the manager's messages, only this user's", () => {
    expect(journalArgs([A, H], 1000, 5)).toEqual([
      "--no-pager", "--quiet", "-o", "json", "-n", "40", "--",
      "SYSLOG_IDENTIFIER=mosaic-agent@a", "_UID=1000", "+", `_SYSTEMD_USER_UNIT=${A}`, "_UID=1000", "+", `USER_UNIT=${A}`, "_UID=1000", "+",
      "SYSLOG_IDENTIFIER=mosaic-tmux-holder", "_UID=1000", "+", `_SYSTEMD_USER_UNIT=${H}`, "_UID=1000", "+", `USER_UNIT=${H}`, "_UID=1000",
    ]);
  });

  it("sorts lines to their unit, keeps each unit's last ones, reads byte-array messages, and skips what it cannot read", () => {
    const out = [
      row({ SYSLOG_IDENTIFIER: "mosaic-agent@a", MESSAGE: "one" }),
      row({ SYSLOG_IDENTIFIER: "systemd", USER_UNIT: A, MESSAGE: "Failed with result 'exit-code'." }),
      "not json",
      row({ SYSLOG_IDENTIFIER: "mosaic-tmux-holder", _SYSTEMD_USER_UNIT: H, MESSAGE: [104, 105, 255] }),
      row({ SYSLOG_IDENTIFIER: "someone-else", MESSAGE: "not ours" }),
      row({ SYSLOG_IDENTIFIER: "mosaic-agent@a", MESSAGE: null }),
      row({ SYSLOG_IDENTIFIER: "mosaic-agent@a", MESSAGE: "three" }),
    ].join("\n");
    const lines = parseJournal(out, [A, H], 2);
    expect(lines.get(A)!.map((l) => l.message)).toEqual(["Failed with result 'exit-code'.", "three"]);
    expect(lines.get(H)!.map((l) => l.message)).toEqual(["hi\uFFFD"]);
    expect(lines.get(A)![1]).toMatchObject({ at: 1764067200000, identifier: "mosaic-agent@a", pid: 42 });
  });

  it("renders a failed unit's lines with control characters escaped, and says when there are none or they could not be read", () => {
    const text = renderUnitFailures([
      { unit: A, result: "exit-code", lines: [{ at: 0, identifier: "mosaic-agent@a", pid: 7, message: "bad\u001b[2Jname\u202e" }], problem: null },
      { unit: H, result: null, lines: [], problem: null },
      { unit: "mosaic-agent@b.service", result: "timeout", lines: [], problem: "journalctl not found on PATH" },
    ]);
    expect(text).toContain(`${A} failed (exit-code). Its last lines in the journal:\n`);
    expect(text).toMatch(/^ {2}\S+ \S+ mosaic-agent@a\[7\]: bad\\e\[2Jname\\u202e$/m);
    expect(text).toContain(`${H} failed. The journal holds no lines of it here; try: journalctl --user -u ${H}\n`);
    expect(text).toContain("mosaic-agent@b.service failed (timeout). Could not read the journal (journalctl not found on PATH); try: journalctl --user -u mosaic-agent@b.service\n");
  });
});
