import { UserError } from "../errors.js";
import type { SourcePos } from "./locate.js";

/** One located problem in a roster file. */
export interface RosterIssue {
  readonly file: string;
  readonly pos: SourcePos;
  /** `agents[1].name "bad.name"`, or empty for whole-file problems. */
  readonly subject: string;
  readonly message: string;
}

export function formatIssue(issue: RosterIssue): string {
  const where = `${issue.file}:${issue.pos.line}:${issue.pos.col}`;
  return issue.subject === "" ? `${where}: ${issue.message}` : `${where}: ${issue.subject}: ${issue.message}`;
}

/** Every problem found in one roster file, reported together. */
export class RosterError extends UserError {
  constructor(readonly issues: readonly RosterIssue[]) {
    super(sortIssues(issues).map(formatIssue).join("\n"));
    this.name = "RosterError";
  }
}

function sortIssues(issues: readonly RosterIssue[]): RosterIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col)
    .filter((i) => {
      const key = formatIssue(i);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
