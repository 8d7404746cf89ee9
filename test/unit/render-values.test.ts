import { describe, expect, it } from "vitest";
import { formatArgv, quoteForDisplay } from "../../src/render/argv.js";

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
