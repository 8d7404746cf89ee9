import { describe, expect, it } from "vitest";
import { driftService, driftTimer, parseDriftEvery, readDriftCheck, systemdQuoted } from "../../src/identity/drift-units.js";

describe("the drift check's units", () => {
  it.each([
    ["15min", "15min"],
    ["1h", "1h"],
    [" 1h  30min ", "1h 30min"],
    ["60s", "60s"],
    ["1h30min", "1h 30min"],
    ["1 min", "1min"],
    ["1.5min", "1.5min"],
  ])("takes %j as a time span", (value, every) => {
    expect(parseDriftEvery(value)).toEqual({ ok: true, every });
  });

  it.each(["", "15", "soon", "1.5", "-5min", "5  min", "59s", "1us 1min", "15min;rm", "1h\nOnCalendar=*"])("refuses %j", (value) => {
    expect(parseDriftEvery(value).ok).toBe(false);
  });

  it("quotes arguments so systemd takes them literally: specifiers, variables, quotes and backslashes", () => {
    expect(systemdQuoted('/srv/a b/%h/$HOME/"x"\\y')).toBe('"/srv/a b/%%h/$$HOME/\\"x\\"\\\\y"');
    expect(() => systemdQuoted("a\nExecStart=/bin/evil")).toThrow(/control character/);
    // Environment= expands no variables: a `$` stays as it is there, while `%` is still a specifier.
    expect(systemdQuoted('TMUX_TMPDIR=/t %h $X "q"', "environment")).toBe('"TMUX_TMPDIR=/t %%h $X \\"q\\""');
  });

  it("runs the quiet plan of one roster with the installer's view of where sockets and files are", () => {
    const unit = driftService({ node: "/usr/bin/node", mosaic: "/opt/mosaic/dist/mosaic.js", roster: "/home/op/my $roster.yaml", every: "15min", env: { TMUX_TMPDIR: "/run/t" } });
    expect(unit).toContain('ExecStart="/usr/bin/node" "/opt/mosaic/dist/mosaic.js" "fleet" "plan" "--detailed-exitcode" "--quiet" "--roster" "/home/op/my $$roster.yaml"\n');
    expect(unit).toContain('Environment="TMUX_TMPDIR=/run/t"\n');
    expect(unit).toMatch(/^Type=oneshot$/m);
  });
});

describe("the drift check read back from its installed units, for mosaic update", () => {
  it("gives the roster, how often and the variables, whatever characters the paths hold", () => {
    for (const roster of ["/home/op/.config/mosaic/fleet/roster.yaml", '/srv/it\'s "a" 100% $HOME \\ dir/roster.yaml', "/home/op/ünï cødé/roster.yaml"]) {
      const check = { node: "/old/prefix/bin/node", mosaic: "/old/prefix/lib/mosaic/dist/mosaic.js", roster, every: "1h 30min", env: { TMUX_TMPDIR: "/run/user/1000/t $x%", XDG_STATE_HOME: "/home/op/state" } };
      expect(readDriftCheck(driftService(check), driftTimer(check)), roster).toEqual({ roster, every: "1h 30min", env: check.env });
    }
  });

  it("is null for units it did not write", () => {
    expect(readDriftCheck("[Service]\nExecStart=/bin/true\n", "[Timer]\nOnUnitActiveSec=15min\n")).toBeNull();
    const check = { node: "/n", mosaic: "/m", roster: "/r", every: "15min", env: {} };
    expect(readDriftCheck(driftService(check), "[Timer]\n")).toBeNull();
  });
});
