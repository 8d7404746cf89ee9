import { hasChanges, hasErrors, summarise } from "../plan/predicates.js";
import type { FileChange, ManagerChange, Plan, ResourceChange, SessionChange, UnitChange } from "../plan/types.js";
import { changedSpecFields } from "../identity/fields.js";
import { fileHash } from "../identity/file-hash.js";
import { fileDiff } from "./file-diff.js";
import { SESSION_TOOL } from "../framework.js";
import { describeStep } from "../plan/step-call.js";

/** The plan as `--json` prints it; the human view is rendered from this same document. */
export type PlanDocument = ReturnType<typeof planJson>;
export type ChangeDocument = PlanDocument["resource_changes"][number];

/**
 * The machine-readable plan: a public, versioned contract (format_version).
 * Add fields freely; rename or remove only with a new major version.
 */
export function planJson(plan: Plan) {
  const changes = hasChanges(plan);
  const errored = hasErrors(plan);
  return {
    format_version: plan.formatVersion,
    socket: plan.socket,
    roster: plan.rosterPath,
    backend: plan.backend,
    backend_reason: plan.backendWhy,
    intent: { target: plan.intent.target, replace: plan.intent.replace, fresh: plan.intent.fresh },
    has_changes: changes,
    applyable: changes && !errored,
    errored,
    complete: true,
    observed_fingerprint: plan.observedFingerprint,
    summary: summarise(plan),
    resource_changes: plan.changes.map(changeJson),
    diagnostics: plan.diagnostics.map((d) => ({ severity: d.severity, code: d.code, address: d.address ?? null, message: d.message })),
  };
}

function changeJson(c: ResourceChange) {
  switch (c.type) {
    case "tmux.session":
      return sessionJson(c);
    case "systemd.unit":
      return unitJson(c);
    case "systemd.manager":
      return managerJson(c);
    default:
      return fileJson(c);
  }
}

/** What every entry has, whatever its type: the steps are the tool calls apply will make, in order. */
function common<C extends ResourceChange>(c: C) {
  return {
    address: c.address,
    type: c.type as C["type"],
    name: c.name,
    action: c.action,
    reason: c.reason,
    message: c.message,
    held: c.held,
    depends_on: c.dependsOn,
    runs_caller: c.runsCaller,
    steps: c.steps.map((s) => ({ kind: s.kind, call: describeStep(s) })),
  };
}

function sessionJson(c: SessionChange) {
  return {
    ...common(c),
    stop_grace_seconds: c.stopGraceSeconds,
    changed_fields: c.before?.specFields && c.after && c.before.specHash !== c.after.specHash ? changedSpecFields(c.before.specFields, c.after.specFields) : [],
    before: c.before && {
      managed: c.before.managed,
      spec_hash: c.before.specHash,
      launch: c.before.launch,
      pane_id: c.before.pane?.id ?? null,
      pid: c.before.pane?.pid ?? null,
      dead: c.before.pane?.dead ?? null,
      dead_status: c.before.pane?.deadStatus ?? null,
      dead_signal: c.before.pane?.deadSignal ?? null,
      current_command: c.before.pane?.currentCommand ?? null,
      pane_count: c.before.paneCount,
      pane_recorded: c.before.paneRecorded,
      created_at: c.before.createdAt,
    },
    after: c.after && {
      role: c.after.role,
      argv: c.after.argv,
      cwd: c.after.cwd,
      env: c.after.env,
      spec_hash: c.after.specHash,
      launch: c.after.launch,
      ready_after_seconds: c.after.readyAfterSeconds,
    },
  };
}

function unitJson(c: UnitChange) {
  return {
    ...common(c),
    before: { load_state: c.before.loadState, active_state: c.before.activeState, sub_state: c.before.subState, unit_file_state: c.before.unitFileState },
    after: { enabled: c.after.enabled, active: c.after.active },
  };
}

function managerJson(c: ManagerChange) {
  return { ...common(c), before: null, after: null };
}

/** A file's bytes are summarised (size and hash) and shown as a unified diff; a launch file's content and the built session tool are not text to diff. */
function fileJson(c: FileChange) {
  const side = (f: { content: string; mode: number } | null) => f && { mode: f.mode, bytes: Buffer.byteLength(f.content), sha256: fileHash(f.content) };
  const textual = c.type !== "file.launch" && c.name !== SESSION_TOOL;
  return {
    ...common(c),
    path: c.path,
    before: side(c.before),
    after: side(c.after),
    diff: textual && c.action !== "noop" ? fileDiff(c.path, c.before?.content ?? null, c.after?.content ?? null, { before: c.before?.mode, after: c.after?.mode }) : null,
  };
}
