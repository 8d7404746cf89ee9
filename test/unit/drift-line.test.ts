import { describe, expect, it } from "vitest";
import { driftLine } from "../../src/render/drift-line.js";
import type { PlanDocument } from "../../src/render/plan-json.js";

/** The fields of a plan document the drift line reads. */
function doc(changes: { type: string; name: string; address: string; action: string; reason: string; held?: boolean; agent?: string | null }[], summary = { add: 0, change: 0, destroy: 0 }, hasChanges = true): PlanDocument {
  return { has_changes: hasChanges, summary, resource_changes: changes.map((c) => ({ held: false, agent: null, ...c })) } as unknown as PlanDocument;
}

describe("driftLine", () => {
  it("is null when nothing would change, so cron mails nothing", () => {
    expect(driftLine(doc([{ type: "tmux.session", name: "a", address: 'tmux.session["a"]', action: "noop", reason: "in-sync" }], undefined, false))).toBeNull();
  });

  it("names each agent once, marked by what happens to it, then the fleet's own resources by address and reason, skipping noops and held replacements", () => {
    const line = driftLine(
      doc(
        [
          { type: "tmux.session", name: "_holder", address: 'tmux.session["_holder"]', action: "create", reason: "missing" },
          { type: "tmux.session", name: "old", address: 'tmux.session["old"]', action: "delete", reason: "not-in-roster", agent: "old" },
          { type: "file.launch", name: "old", address: 'file.launch["old"]', action: "delete", reason: "not-in-roster", agent: "old" },
          { type: "tmux.session", name: "new", address: 'tmux.session["new"]', action: "create", reason: "missing", agent: "new" },
          { type: "tmux.session", name: "changed", address: 'tmux.session["changed"]', action: "replace", reason: "spec-changed", agent: "changed" },
          { type: "tmux.session", name: "same", address: 'tmux.session["same"]', action: "noop", reason: "in-sync", agent: "same" },
          { type: "tmux.session", name: "kept", address: 'tmux.session["kept"]', action: "replace", reason: "spec-changed", held: true, agent: "kept" },
        ],
        { add: 3, change: 0, destroy: 3 },
      ),
    );
    expect(line).toBe("drift: -old +new ~changed; fleet: _holder: missing (3 agents; 3 to add, 0 to change, 3 to destroy)");
  });

  it("stays one line whatever a path holds", () => {
    const line = driftLine(doc([{ type: "file.tool", name: "/x\ny", address: 'file.tool["/x\ny"]', action: "create", reason: "missing" }], { add: 1, change: 0, destroy: 0 }));
    expect(line).not.toContain("\n");
    expect(line).toContain('fleet: file.tool["/x?y"]: missing');
  });
});
