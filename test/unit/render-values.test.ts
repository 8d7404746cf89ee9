import { describe, expect, it } from "vitest";
import { formatArgv } from "../../src/render/argv.js";
import { quoteForDisplay } from "../../src/text/quote.js";
import { safeJsonString } from "../../src/text/safe-text.js";

describe("values shown in plans and rosters", () => {
  it.each([
    ["plain", "plain"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["", "''"],
    ["line\nbreak", "$'line\\nbreak'"],
    ["tab\there", "$'tab\\there'"],
    ["esc\x1b[31m", "$'esc\\e[31m'"],
    ["bell\x07 and 'q' \\", "$'bell\\x07 and \\'q\\' \\\\'"],
  ])("%j shows as %s, on one line", (value, shown) => {
    expect(quoteForDisplay(value)).toBe(shown);
    expect(quoteForDisplay(value)).not.toMatch(/[\n\r\t]/);
  });

  it("an argv list reads as typed", () => {
    expect(formatArgv(["pi", "--model", "a b", "x\ny"])).toBe("pi --model 'a b' $'x\\ny'");
  });
});

describe("names in addresses and messages", () => {
  it("escape what JSON leaves raw (C1 controls, bidi overrides) and still parse back as JSON", () => {
    for (const name of ["plain", "a\u202eb", "x\x9by", "tab\there", "\u2066iso\u2069"]) {
      const shown = safeJsonString(name);
      expect(shown).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      expect(JSON.parse(shown)).toBe(name);
    }
  });
});
