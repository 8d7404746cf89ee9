import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareUnitFiles, parseUnitFile, unitFileChanges, type UnitFileComparison } from "../../src/plan/unit-file.js";
import { repoRoot } from "../helpers/cli.js";

// The unit mosaic ships is the base every change below is made to.
const shipped = readFileSync(join(repoRoot, "framework", "systemd", "user", "mosaic-agent@.service"), "utf8");

function edit(from: string, to: string): string {
  if (!shipped.includes(from)) throw new Error(`the shipped unit has no ${JSON.stringify(from)}`);
  return shipped.replace(from, to);
}

const cases: [string, string, UnitFileComparison][] = [
  ["the same text", shipped, "equal"],
  // Nothing systemd loads changed, but a rewritten file is flagged NeedDaemonReload until a reload.
  ["a comment", edit("# Mosaic fleet: one agent", "# Mosaic: one agent"), "reload"],
  ["a comment added inside [Service]", edit("RemainAfterExit=yes\n", "RemainAfterExit=yes\n; why\n"), "reload"],
  ["blank lines and spaces around =", edit("Type=oneshot\n", "\n  Type = oneshot  \n\n"), "reload"],
  ["CRLF line ends", shipped.replace(/\n/g, "\r\n"), "reload"],
  ["a line wrapped with a backslash, the same once joined", edit("ExecStart=%h/.config", "ExecStart= \\\n%h/.config"), "reload"],
  ["a section split in two", edit("ExecStop=", "[Service]\nExecStop="), "reload"],
  ["a line systemd ignores (no =)", edit("Type=oneshot\n", "Type=oneshot\nnot an assignment\n"), "reload"],
  ["an assignment before any section, which systemd ignores", `ExecStart=/bin/false\n${shipped}`, "reload"],
  // Read by the manager when it uses them.
  ["[Unit] Description", edit("Description=Mosaic fleet agent %i", "Description=Agent %i"), "reload"],
  ["[Unit] Documentation added", edit("Documentation=https://www.npmjs.com/package/mosaic", "Documentation=https://www.npmjs.com/package/mosaic man:mosaic(1)"), "reload"],
  ["[Install] WantedBy", edit("WantedBy=default.target", "WantedBy=multi-user.target"), "reload"],
  ["[Service] ExecStop", edit("stop-agent-session.sh %i", "stop-agent-session.sh --quiet %i"), "reload"],
  ["[Service] ExecStop removed", edit("ExecStop=%h/.config/mosaic/tools/fleet/stop-agent-session.sh %i %h/.local/state/mosaic/fleet\n", ""), "reload"],
  ["[Service] TimeoutStopSec", edit("TimeoutStopSec=660", "TimeoutStopSec=700"), "reload"],
  ["an X- key systemd ignores", edit("Type=oneshot\n", "Type=oneshot\nX-Mosaic-Spec=v1:abc\n"), "reload"],
  ["an X- section systemd ignores", `${shipped}\n[X-Mosaic]\nSpec=v1\n`, "reload"],
  // Taken by a unit when it starts.
  ["[Service] ExecStart", edit("start-agent-session.sh %i", "start-agent-session.sh --new %i"), "restart"],
  ["[Service] Environment", edit("Environment=PATH=%h/.local/bin:", "Environment=PATH=%h/bin:%h/.local/bin:"), "restart"],
  ["a second Environment line", edit("Type=oneshot\n", "Type=oneshot\nEnvironment=LANG=C.UTF-8\n"), "restart"],
  ["[Service] Type", edit("Type=oneshot", "Type=simple"), "restart"],
  ["[Service] RemainAfterExit", edit("RemainAfterExit=yes", "RemainAfterExit=no"), "restart"],
  ["a new [Service] key", edit("Type=oneshot\n", "Type=oneshot\nRestart=on-failure\n"), "restart"],
  ["[Unit] Requires", edit("Requires=mosaic-tmux-holder.service", "Wants=mosaic-tmux-holder.service"), "restart"],
  ["[Unit] After added to", edit("After=mosaic-tmux-holder.service", "After=mosaic-tmux-holder.service network.target"), "restart"],
  ["a change inside a continued line", edit("ExecStart=%h/.config", "ExecStart=/usr/bin/env \\\n%h/.config"), "restart"],
  ["a section systemd does not know", `${shipped}\n[Timer]\nOnCalendar=daily\n`, "restart"],
  ["a broken section header (systemd refuses the file)", edit("[Install]", "[Install"), "restart"],
  ["restart wins over reload", edit("Description=Mosaic fleet agent %i", "Description=x").replace("Type=oneshot", "Type=simple"), "restart"],
];

describe("compareUnitFiles, against the shipped mosaic-agent@.service", () => {
  it.each(cases)("%s: %s", (_what, after, expected) => {
    expect(compareUnitFiles(shipped, after)).toBe(expected);
  });

  it("is symmetric: undoing a change needs what making it did", () => {
    for (const [, after, expected] of cases) expect(compareUnitFiles(after, shipped)).toBe(expected);
  });
});

describe("unitFileChanges", () => {
  it("names each changed key, sorted, with what it needs, for the planner's warning", () => {
    const after = edit("Type=oneshot", "Type=simple").replace("TimeoutStopSec=660", "TimeoutStopSec=1").replace("WantedBy=default.target\n", "");
    expect(unitFileChanges(shipped, after)).toEqual([
      { section: "Install", key: "WantedBy", needs: "reload" },
      { section: "Service", key: "TimeoutStopSec", needs: "reload" },
      { section: "Service", key: "Type", needs: "restart" },
    ]);
  });

  const ignored = ["a comment", "a comment added inside [Service]", "blank lines and spaces around =", "CRLF line ends", "a line wrapped with a backslash, the same once joined", "a section split in two", "a line systemd ignores (no =)", "an assignment before any section, which systemd ignores"];
  const layoutOnly = cases.filter(([what]) => ignored.includes(what));
  it("has every case it names", () => expect(layoutOnly).toHaveLength(ignored.length));
  it.each(layoutOnly)("is empty when only what systemd ignores changed: %s", (_what, after) => {
    expect(unitFileChanges(shipped, after)).toEqual([]);
  });
});

describe("parseUnitFile, as systemd 252 reads a unit (checked against systemctl show in the sandbox)", () => {
  const entries = (text: string) => [...parseUnitFile(text)].map(([s, keys]) => [s, Object.fromEntries(keys)]);

  it("keeps repeated keys in order, and merges a section named twice", () => {
    expect(entries("[Service]\nEnvironment=A=1\n[Unit]\nDescription=d\n[Service]\nEnvironment=B=2\nExecStart=\nExecStart=/x\n")).toEqual([
      ["Service", { Environment: ["A=1", "B=2"], ExecStart: ["", "/x"] }],
      ["Unit", { Description: ["d"] }],
    ]);
  });

  it("joins a line ending in a backslash with the next, skipping comment lines between, the backslash becoming a space", () => {
    expect(entries("[Unit]\nDescription=one \\\n# a comment inside\n  two \\\\\n[Service]\nType=oneshot\n")).toEqual([
      ["Unit", { Description: ["one    two \\\\"] }],
      ["Service", { Type: ["oneshot"] }],
    ]);
  });

  it("continues through the end of the file, and drops a byte-order mark", () => {
    expect(entries("\ufeff[Unit]\nDescription=a \\")).toEqual([["Unit", { Description: ["a"] }]]);
  });

  it("ends lines at \\r and NUL too, and ignores what systemd ignores", () => {
    expect(entries("Description=outside\n[Unit]\rDescription=a\0Documentation=b\nno equals sign\n;Description=c\n")).toEqual([["Unit", { Description: ["a"], Documentation: ["b"] }]]);
  });
});
