/**
 * Characters that must never reach a terminal from text mosaic does not
 * control (roster values, tmux names, an agent's process name): C0 and C1
 * controls (cursor movement, erase-line: a roster could paint over the plan
 * it is confirmed from) and the Unicode format characters that reorder or
 * hide text (bidi overrides and isolates, zero-width marks, BOM).
 */
const RISKY = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e" };

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return C_ESCAPES[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}

export function hasRiskyCharacters(s: string): boolean {
  RISKY.lastIndex = 0;
  return RISKY.test(s);
}

/** `s` with every risky character written as an escape (`\e`, `\x9b`, `\u202e`); safe text unchanged. */
export function escapeRisky(s: string): string {
  return s.replace(RISKY, escapeOne);
}

/** JSON.stringify, with the risky characters JSON leaves raw (C1, bidi) escaped too: still valid JSON. */
export function safeJsonString(s: string): string {
  return escapeRiskyInJson(JSON.stringify(s));
}

/** RISKY but C0, which JSON.stringify escapes itself (a raw newline in JSON text is layout). */
const RISKY_IN_JSON = /[\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** JSON text with the risky characters it holds raw (only ever inside strings) as `\uXXXX`: the same value. */
export function escapeRiskyInJson(json: string): string {
  return json.replace(RISKY_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
