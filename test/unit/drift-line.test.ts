import { describe, expect, it } from "vitest";
import { driftLine } from "../../src/render/drift-line.js";
import type { PlanDocument } from "../../src/render/plan-json.js";

/** The fields of a plan document the drift line reads. */
function doc(changes: { type: string; name: string; address: string; action: string; reason: string; held?: boolean }[], summary = { add: 0, change: 0, destroy: 0 }, hasChanges = true): PlanDocument {
  return { has_changes: hasChanges, summary, resource_changes: changes.map((c) => ({ held: false, ...c })) } as unknown as PlanDocument;
}

describe("driftLine", () => {
  it("is null when nothing would change, so cron mails nothing", () => {
    expect(driftLine(doc([{ type: "tmux.session", name: "a", address: 'tmux.session["a"]', action: "noop", reason: "in-sync" }], undefined, false))).toBeNull();
  });

  it("names sessions by agent and everything else by address, skipping noops and held replacements", () => {
    const line = driftLine(
      doc(
        [
          { type: "tmux.session", name: "old", address: 'tmux.session["old"]', action: "delete", reason: "not-in-roster" },
          { type: "mosaic.launch_file", name: "old", address: 'mosaic.launch_file["old"]', action: "delete", reason: "not-in-roster" },
          { type: "tmux.session", name: "same", address: 'tmux.session["same"]', action: "noop", reason: "in-sync" },
          { type: "tmux.session", name: "kept", address: 'tmux.session["kept"]', action: "replace", reason: "spec-changed", held: true },
        ],
        { add: 0, change: 0, destroy: 2 },
      ),
    );
    expect(line).toBe('drift: 0 to add, 0 to change, 2 to destroy (old: not-in-roster; mosaic.launch_file["old"]: not-in-roster)');
  });

  it("stays one line whatever a path holds", () => {
    const line = driftLine(doc([{ type: "mosaic.file", name: "/x\ny", address: 'mosaic.file["/x\ny"]', action: "create", reason: "missing" }], { add: 1, change: 0, destroy: 0 }));
    expect(line).not.toContain("\n");
    expect(line).toContain('mosaic.file["/x?y"]: missing');
  });
});
