import { isMap, LineCounter, parseDocument } from "yaml";
import type { ValidateFunction } from "ajv";
import { describeSchemaErrors } from "./schema.js";
import { displayPath, locate, valueAt, type PathSegment } from "./locate.js";
import { RosterError, type RosterIssue } from "./roster-error.js";
import { normaliseRoster, type RawRoster } from "./normalise.js";
import { crossCheckRoster, findKeyProblems } from "./cross-checks.js";
import { describeYamlErrors } from "./yaml-errors.js";
import type { DesiredFleet } from "./types.js";

/**
 * Aliases expand on conversion; a few dozen nested ones can expand to
 * billions of nodes (the "billion laughs" bomb). A real roster needs none
 * or a handful, so a small budget refuses bombs before they allocate.
 */
const MAX_ALIAS_EXPANSIONS = 64;

export interface RosterSource {
  /** Absolute path; relative `cwd` values resolve against its folder. */
  readonly path: string;
  /** How errors name the file. */
  readonly display: string;
  readonly text: string;
}

export interface ParseContext {
  readonly validate: ValidateFunction;
  readonly home: string;
}

/**
 * Roster text to the planner's Desired fleet, or a RosterError listing every
 * problem found, each at its file:line:col. Pure apart from the validator.
 */
export function parseRoster(source: RosterSource, ctx: ParseContext): DesiredFleet {
  const lineCounter = new LineCounter();
  // logLevel "error": the yaml package's warnings go to process stderr, outside the roster's error format.
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false, schema: "core", merge: false, logLevel: "error" });
  const issueAt = (path: readonly PathSegment[], message: string, opts: { target?: "key" | "value"; value?: unknown } = {}): RosterIssue => ({
    file: source.display,
    pos: locate(doc, lineCounter, path, opts.target),
    subject: subjectOf(path, opts.value),
    message,
  });

  const syntax: RosterIssue[] = [
    ...describeYamlErrors(doc.errors, source.text).map((e) => ({ file: source.display, pos: lineCounter.linePos(e.offset), subject: "", message: e.message })),
    ...findKeyProblems(doc, lineCounter).map((d) => ({ file: source.display, pos: d.pos, subject: "", message: d.message })),
  ];
  if (syntax.length > 0) throw new RosterError(syntax);
  if (doc.contents === null) {
    throw new RosterError([issueAt([], 'the roster is empty; it needs at least an "agents:" list (see `mosaic fleet init --profile minimal`)')]);
  }
  if (!isMap(doc.contents)) {
    throw new RosterError([issueAt([], 'the roster must be a mapping with an "agents:" list')]);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (err) {
    throw new RosterError([issueAt([], `refused: YAML aliases expand too far (more than ${MAX_ALIAS_EXPANSIONS} expansions): ${firstLine(String((err as Error).message))}`)]);
  }

  const issues: RosterIssue[] = [];
  if (!ctx.validate(data)) {
    const problems = describeSchemaErrors(ctx.validate.errors ?? [], ctx.validate.schema, data);
    issues.push(...problems.map((p) => issueAt(p.path, p.message, { target: p.target, value: p.showValue ? valueAt(data, p.path) : undefined })));
  }
  issues.push(...crossCheckRoster(data).map((p) => issueAt(p.path, p.message, { value: p.value })));
  if (issues.length > 0) throw new RosterError(issues);

  return normaliseRoster(data as RawRoster, { rosterPath: source.path, home: ctx.home });

}

function subjectOf(path: readonly PathSegment[], value: unknown): string {
  if (path.length === 0) return "";
  const shown = value === undefined || (typeof value === "object" && value !== null) ? "" : ` ${truncate(JSON.stringify(value))}`;
  return `${displayPath(path)}${shown}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}
