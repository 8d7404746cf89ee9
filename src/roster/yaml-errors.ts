import type { YAMLError } from "yaml";

/** A problem at a character offset of the roster text. */
export interface OffsetProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * The yaml library's parse errors in the roster's own words. Its messages
 * are kept where they describe the YAML ("Nested mappings are not
 * allowed"), but two would confuse a user: the multi-document one names
 * the library's API, and a stack overflow is reported once per open
 * bracket, hundreds of identical lines.
 */
export function describeYamlErrors(errors: readonly YAMLError[], text: string): OffsetProblem[] {
  const out: OffsetProblem[] = [];
  let tooDeep = false;
  for (const e of errors) {
    const offset = e.pos[0];
    if (e.code === "MULTIPLE_DOCS") {
      // The second document starts at its `---`, or right after a `...` end marker.
      const how = text.startsWith("---", offset) ? "---" : "after ...";
      out.push({ offset, message: `the roster must be a single YAML document; found a second one (${how})` });
    } else if (e.code === "RESOURCE_EXHAUSTION") {
      if (!tooDeep) out.push({ offset, message: "invalid YAML: nested too deeply to read" });
      tooDeep = true;
    } else {
      out.push({ offset, message: `invalid YAML: ${firstLine(e.message)}` });
    }
  }
  return out;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}
