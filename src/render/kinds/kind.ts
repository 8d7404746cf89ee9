import type { ChangeOf } from "../../plan/kinds/kind.js";
import { describeStep } from "../../plan/step-call.js";
import { agentOf } from "../../plan/agents.js";
import type { ResourceChange, ResourceType } from "../../plan/types.js";
import type { Style } from "../style.js";

/**
 * The contract every resource kind keeps in the render stage, one module a
 * kind under src/render/kinds/ (what it observes, plans and waits for is
 * the plan stage's: src/plan/kinds/). The registry (index.ts) is checked
 * against a mapped type over ResourceType, so a kind without a view does
 * not compile, and nothing is rendered by a silent default.
 */
export interface KindView<K extends ResourceType, D extends object> {
  /** The entry's own fields in `--json`, after those every entry has (commonEntry). Part of the public, versioned document. */
  readonly json: (change: ChangeOf<K>) => D;
  /**
   * The entry's own lines in the human plan, made from its JSON entry
   * alone: the human plan tells what `--json` tells. (A method, so the
   * registry can hold each view with its own document type.)
   */
  text(entry: Entry<K, D>, style: Style): EntryLines;
}

/** A kind's lines under an entry's header: `key: value` details before the tool calls, and any block after them (a diff). */
export interface EntryLines {
  readonly details: readonly (readonly [key: string, value: string])[];
  readonly after: readonly string[];
}

/** One entry of `resource_changes`: what every entry has, then its kind's own fields. */
export type Entry<K extends ResourceType, D extends object> = CommonEntry<K> & D;

export type CommonEntry<K extends ResourceType> = Omit<ReturnType<typeof commonEntry>, "type"> & { readonly type: K };

/** What every entry has, whatever its type: the steps are the tool calls apply will make, in order. */
export function commonEntry(c: ResourceChange) {
  return {
    address: c.address,
    type: c.type,
    name: c.name,
    /** The roster agent it is part of (its session, unit, launch file), or null for the fleet's own: how the plan is grouped. */
    agent: agentOf(c),
    action: c.action,
    reason: c.reason,
    message: c.message,
    held: c.held,
    depends_on: c.dependsOn,
    runs_caller: c.runsCaller,
    steps: c.steps.map((s) => ({ kind: s.kind, call: describeStep(s) })),
  };
}

/** A kind's view, its document's type inferred from its `json`. */
export function kindView<K extends ResourceType, D extends object>(_type: K, view: KindView<K, D>): KindView<K, D> {
  return view;
}
