import { escapeRiskyInJson } from "../text/safe-text.js";
import { isMap, LineCounter, parseDocument } from "yaml";
import type { ValidateFunction } from "ajv";
import { describeSchemaErrors } from "./schema.js";
import { displayPath, locate, valueAt, type PathSegment } from "./locate.js";
import { RosterError, type RosterIssue } from "./roster-error.js";
import { normaliseRoster, type RawRoster } from "./normalise.js";
import { crossCheckRoster, findKeyProblems } from "./cross-checks.js";
import { describeYamlErrors, type OffsetProblem } from "./yaml-errors.js";
import { expandedSize, MAX_EXPANDED_SIZE } from "./aliases.js";
import { findMergeProblems } from "./merge-keys.js";
import type { DesiredFleet } from "./types.js";
import { readEnvFiles } from "./env-files.js";
import type { EnvFileReader } from "./env-file.js";

export interface RosterSource {
  /** Absolute path, as the user named it. */
  readonly path: string;
  /** The file itself when `path` is a link to it: relative `cwd` and `command` values resolve against its folder (else `path`'s). */
  readonly realPath?: string;
  /** How errors name the file. */
  readonly display: string;
  readonly text: string;
}

export interface ParseContext {
  readonly validate: ValidateFunction;
  readonly home: string;
  /** Reads the roster's env_file entries; without it, a roster that names one is refused. */
  readonly readEnvFile?: EnvFileReader;
}

/**
 * Roster text to the planner's Desired fleet, or a RosterError listing every
 * problem found, each at its file:line:col. Pure apart from the validator.
 */
export function parseRoster(source: RosterSource, ctx: ParseContext): DesiredFleet {
  const lineCounter = new LineCounter();
  // merge: `<<: *defaults` is how YAML users share settings between entries.
  // logLevel "error": the yaml package's warnings go to process stderr, outside the roster's error format.
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false, schema: "core", merge: true, logLevel: "error" });
  const aliases = expandedSize(doc);
  const issueAt = (path: readonly PathSegment[], message: string, opts: { target?: "key" | "value"; value?: unknown } = {}): RosterIssue => ({
    file: source.display,
    pos: locate(doc, lineCounter, path, opts.target, aliases.targets),
    subject: subjectOf(path, opts.value),
    message,
  });
  const atOffset = (p: OffsetProblem): RosterIssue => ({ file: source.display, pos: lineCounter.linePos(p.offset), subject: "", message: p.message });

  // Everything wrong with the YAML itself, found on the syntax tree before any alias is expanded.
  const syntax: RosterIssue[] = [
    ...describeYamlErrors(doc.errors, source.text).map(atOffset),
    ...findKeyProblems(doc, lineCounter).map((d) => ({ file: source.display, pos: d.pos, subject: "", message: d.message })),
    ...aliases.problems.map(atOffset),
    ...findMergeProblems(doc, aliases.targets).map(atOffset),
  ];
  if (aliases.overLimitAt !== undefined) {
    syntax.push(atOffset({ offset: aliases.overLimitAt, message: `refused: YAML aliases expand too far (past ${MAX_EXPANDED_SIZE} nodes and characters; a real roster is far smaller)` }));
  }
  if (syntax.length > 0) throw new RosterError(syntax);
  if (doc.contents === null) {
    throw new RosterError([issueAt([], 'the roster is empty; it needs at least an "agents:" list (see `mosaic fleet init --profile minimal`)')]);
  }
  if (!isMap(doc.contents)) {
    throw new RosterError([issueAt([], 'the roster must be a mapping with an "agents:" list')]);
  }

  // The expanded size is bounded above, so the yaml package's own alias count (which refuses legitimate reuse) is off.
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    // The checks above leave nothing known to throw here; still, a roster problem, not a crash.
    throw new RosterError([issueAt([], `invalid YAML: ${String((err as Error).message).split("\n")[0]}`)]);
  }

  const issues: RosterIssue[] = [];
  if (!ctx.validate(data)) {
    const problems = describeSchemaErrors(ctx.validate.errors ?? [], ctx.validate.schema, data);
    issues.push(...problems.map((p) => issueAt(p.path, p.message, { target: p.target, value: p.showValue ? valueAt(data, p.path) : undefined })));
  }
  issues.push(...crossCheckRoster(data, { rosterPath: source.realPath ?? source.path, home: ctx.home }).map((p) => issueAt(p.path, p.message, { value: p.value })));
  if (issues.length > 0) throw new RosterError(issues);

  const raw = data as RawRoster;
  const base = { rosterPath: source.realPath ?? source.path, home: ctx.home };
  const files = readEnvFiles(raw, base, ctx.readEnvFile);
  if (files.issues.length > 0) throw new RosterError(files.issues.map((p) => issueAt(p.path, p.message)));
  return normaliseRoster(raw, { rosterPath: source.path, home: ctx.home, fileEnv: files.env, ...(source.realPath !== undefined ? { pathsFrom: source.realPath } : {}) });
}

function subjectOf(path: readonly PathSegment[], value: unknown): string {
  if (path.length === 0) return "";
  const shown = value === undefined || (typeof value === "object" && value !== null) ? "" : ` ${truncate(escapeRiskyInJson(JSON.stringify(value)))}`;
  return `${displayPath(path)}${shown}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}
