import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planInstall } from "../../src/plan/install.js";
import { socketDirProblem } from "../../src/plan/launch-checks.js";
import { plan } from "../../src/plan/plan.js";
import { hasChanges } from "../../src/plan/predicates.js";
import type { PlanDiagnosticCode, PlanReason } from "../../src/plan/types.js";
import { planJson } from "../../src/render/plan-json.js";
import { renderPlanText, summaryLine } from "../../src/render/plan-text.js";
import { changeLines, loadPlanCases } from "../helpers/plan-fixtures.js";

const cases = await loadPlanCases();

/** The plan a case asks for: the fleet's, or install-systemd's / update's. */
function planCase(c: (typeof cases)[number], observed = c.observed) {
  return c.install ? planInstall(observed, c.settings, c.install) : plan(c.desired, observed, c.intent, c.settings);
}

describe.each(cases)("planner case $name", (c) => {
  const p = planCase(c);

  it("plans the expected changes, in order, each with its dependencies and steps (expected.txt)", () => {
    expect(changeLines(planJson(p))).toEqual(c.expected);
  });

  it("renders the golden human plan, every resource (--detailed)", async () => {
    await expect(renderPlanText(p, undefined, { detailed: true }) + "\n").toMatchFileSnapshot(join(c.dir, "plan.txt"));
  });

  it("renders the golden human plan, by agent (the default)", async () => {
    await expect(renderPlanText(p) + "\n").toMatchFileSnapshot(join(c.dir, "agents.txt"));
  });

  it("renders the golden JSON plan", async () => {
    await expect(JSON.stringify(planJson(p), null, 2) + "\n").toMatchFileSnapshot(join(c.dir, "plan.json"));
  });

  it("exit code, JSON applyable and the text 'No changes.' agree", () => {
    const text = renderPlanText(p);
    const json = planJson(p);
    expect(json.has_changes).toBe(hasChanges(p));
    expect(text.includes("No changes.")).toBe(!hasChanges(p));
    expect(json.applyable).toBe(hasChanges(p) && !json.errored);
  });

  it("never prints a raw control or bidi character that could paint over the plan", () => {
    expect(renderPlanText(p)).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/);
  });

  it("is deterministic: the same inputs give byte-identical plans", () => {
    // Sessions, units and files listed in another order (systemctl lists a glob's units in the manager's own order).
    const reversed = {
      ...c.observed,
      sessions: [...c.observed.sessions].reverse(),
      systemd: c.observed.systemd && { units: Object.fromEntries(Object.entries(c.observed.systemd.units).reverse()) },
      files: Object.fromEntries(Object.entries(c.observed.files).reverse()),
    };
    expect(JSON.stringify(planCase(c))).toBe(JSON.stringify(p));
    expect(renderPlanText(planCase(c, reversed))).toBe(renderPlanText(p));
  });
});

describe("planner cases", () => {
  it("cover every reason code", () => {
    // A new member of PlanReason fails to compile here until it is listed, and then fails this test until a case covers it.
    const all = Object.keys({
      missing: true, "pane-dead": true, "pane-missing": true, "spec-changed": true, "restart-requested": true, "reset-requested": true,
      unlabelled: true, "not-in-roster": true, disabled: true, "stop-requested": true, "in-sync": true,
      "content-changed": true, "mode-changed": true, "edited-by-hand": true, "unit-files-changed": true, "enable-wanted": true, "disable-wanted": true,
      "unit-inactive": true, "unit-without-session": true,
    } satisfies Record<PlanReason, true>);
    const seen = new Set(cases.flatMap((c) => planCase(c).changes.map((x) => x.reason)));
    expect([...seen].sort()).toEqual([...all].sort());
  });

  it("cover every diagnostic code", () => {
    const all = Object.keys({
      "unmanaged-session": true, "name-taken": true, "unreadable-row": true, "global-label": true, "reload-impossible": true, "extra-panes": true, "cwd-missing": true, "cwd-not-directory": true,
      "command-not-found": true, "command-too-long": true, "tmux-too-old": true, "socket-path-too-long": true, "socket-file-lost": true, "socket-dir-unsafe": true, "previous-socket": true, "other-roster": true,
      "backend-unavailable": true, "file-blocked": true, "file-edited": true, "install-incomplete": true, "install-outdated": true, "unit-change-pending": true,
      "install-node-missing": true, "drift-check-stale": true, "unit-masked": true, "units-not-used": true, "server-outside-units": true, "unit-dir-unread": true, "other-fleet-units": true,
    } satisfies Record<PlanDiagnosticCode, true>);
    const seen = new Set(cases.flatMap((c) => planCase(c).diagnostics.map((d) => d.code)));
    expect([...seen].sort()).toEqual([...all].sort());
  });

  it("a refusal without a usable install record says so, and how to go on", () => {
    const c = cases.find((x) => x.name === "update-no-record")!;
    const refusal = planCase(c).diagnostics.find((d) => d.code === "file-edited");
    expect(refusal?.message).toContain("mosaic has no record of installing it (/home/op/.local/state/mosaic/installed.json is missing)");
    expect(refusal?.message).toContain("replace it with --force");
  });

  it("an install plan with nothing to do speaks of the installed files, never of a fleet and its roster", () => {
    const quiet = cases.filter((c) => c.install && !hasChanges(planCase(c)));
    expect(Object.fromEntries(quiet.map((c) => [c.name, summaryLine(planJson(planCase(c)))]))).toEqual({
      "install-converged": "No changes. The installed files match this mosaic.",
      "update-after-rollback": "No changes. Nothing is installed.",
      "update-nothing-installed": "No changes. Nothing is installed.",
    });
    const converged = quiet.find((c) => c.name === "install-converged")!;
    const tool = "/home/op/.config/mosaic/tools/fleet/start-agent-session.sh";
    const blocked = planCase(converged, { ...converged.observed, files: { ...converged.observed.files, [tool]: { kind: "other", what: "a folder" } } });
    expect(summaryLine(planJson(blocked))).toBe("No changes. The errors above keep the installed files from matching this mosaic.");
  });

  it("order the holder first when creating and last when stopping, as data", () => {
    const stop = cases.find((c) => c.name === "stop")!;
    const p = plan(stop.desired, stop.observed, stop.intent);
    const holder = p.changes.at(-1)!;
    expect(holder.name).toBe("_holder");
    expect(holder.dependsOn).toEqual(['tmux.session["alpha"]', 'tmux.session["beta"]', 'tmux.session["zeta"]']);
    const empty = cases.find((c) => c.name === "empty-world")!;
    const q = plan(empty.desired, empty.observed, empty.intent);
    expect(q.changes[0]!.name).toBe("_holder");
    expect(q.changes.slice(1).every((x) => x.dependsOn.includes('tmux.session["_holder"]'))).toBe(true);
  });

  it("an empty world has a fingerprint, and it changes when a session appears", () => {
    const empty = cases.find((c) => c.name === "empty-world")!;
    const converged = cases.find((c) => c.name === "converged")!;
    const a = plan(empty.desired, empty.observed, empty.intent).observedFingerprint;
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan(converged.desired, converged.observed, converged.intent).observedFingerprint).not.toBe(a);
  });
});

describe("a socket folder tmux refuses", () => {
  it("owned by another user: says whose it is and how to go on, never a chmod that cannot help", () => {
    const why = socketDirProblem({ path: "/tmp/tmux-1000", ownerUid: 65534, mode: 0o40700 }, 1000)!;
    expect(why).toContain("is owned by uid 65534, not you (uid 1000)");
    expect(why).toContain("TMUX_TMPDIR=");
    expect(why).not.toContain("chmod");
  });

  it("open to others: chmod 700 fixes it", () => {
    expect(socketDirProblem({ path: "/tmp/tmux-1000", ownerUid: 1000, mode: 0o40755 }, 1000)).toContain("Fix it with: chmod 700 /tmp/tmux-1000");
  });
});
