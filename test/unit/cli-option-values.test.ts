import { describe, expect, it } from "vitest";
import { nameOptionValues, parseBackendChoice, parseSeconds, resolveBackendChoice } from "../../src/cli/option-values.js";
import { UserError } from "../../src/errors.js";
import { BACKEND_CHOICES } from "../../src/roster/types.js";

/** The message of the UserError `f` throws (a user's mistake, shown without a trace); fails if it throws none. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  throw new Error("expected a UserError");
}

describe("parseSeconds (--lock-timeout)", () => {
  it.each([
    ["0", 0],
    ["5", 5],
    ["60", 60],
    ["2.5", 2.5],
    ["0.25", 0.25],
    ["007", 7],
  ])("accepts %j as %d seconds", (text, seconds) => {
    expect(parseSeconds("--lock-timeout", text)).toBe(seconds);
  });

  it.each(["", " ", " 5", "5 ", "\t5", "5\n", "1e3", "1E3", "-1", "+5", "-0", "0x10", "0b1", "Infinity", "NaN", "5s", ".5", "5.", "1_000", "1,5", "٣", "5.5.5"])(
    "refuses %j with one line naming the option, the value and what it takes",
    (text) => {
      let message = "";
      try {
        parseSeconds("--lock-timeout", text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe(`--lock-timeout takes a plain number of seconds, like 0, 5 or 2.5; got ${JSON.stringify(text)}`);
    },
  );
});

describe("nameOptionValues (clipanion's #0)", () => {
  it.each([
    ["[--roster #0]", "[--roster PATH]"],
    ["[--lock-timeout #0]", "[--lock-timeout SECONDS]"],
    ["[--profile #0]", "[--profile NAME]"],
    ["[--force-replace #0]", "[--force-replace NAME]"],
    ["[--agent #0]", "[--agent NAME]"],
    ["[--socket #0]", "[--socket NAME]"],
    ["[--backend #0]", "[--backend BACKEND]"],
    ["-s,--socket #0", "-s,--socket NAME"],
    ["mosaic fleet plan [--roster #0] [--debug] [--json] [--force-replace #0]", "mosaic fleet plan [--roster PATH] [--debug] [--json] [--force-replace NAME]"],
    ["[--not-yet-named #0]", "[--not-yet-named VALUE]"],
    ["[--pair #0 #1]", "[--pair VALUE VALUE]"],
    ["<NAME> [--debug]", "<NAME> [--debug]"],
  ])("%j reads %j", (usage, named) => {
    expect(nameOptionValues(usage)).toBe(named);
  });
});

describe("parseBackendChoice (--backend)", () => {
  it.each([...BACKEND_CHOICES])("accepts %j", (text) => {
    expect(parseBackendChoice("--backend", text)).toBe(text);
  });

  it.each(["", " ", "sysd", "Auto", "DIRECT", " auto", "direct ", "auto\n", "systemd,direct", "tmux", "none"])("refuses %j with one line naming the option, what it takes and the value", (text) => {
    expect(refusal(() => parseBackendChoice("--backend", text))).toBe(`--backend takes auto, systemd or direct; got ${JSON.stringify(text)}`);
  });
});

describe("resolveBackendChoice (--backend over the roster's backend)", () => {
  it("is the roster's backend without --backend", () => {
    for (const backend of BACKEND_CHOICES) expect(resolveBackendChoice(undefined, { backend })).toBe(backend);
  });

  it("is --backend when given, whatever the roster says", () => {
    expect(resolveBackendChoice("direct", { backend: "systemd" })).toBe("direct");
    expect(resolveBackendChoice("systemd", { backend: "auto" })).toBe("systemd");
    expect(resolveBackendChoice("auto", { backend: "direct" })).toBe("auto");
  });

  it("refuses a bad --backend even when the roster's is fine", () => {
    expect(refusal(() => resolveBackendChoice("sytemd", { backend: "auto" }))).toBe('--backend takes auto, systemd or direct; got "sytemd"');
  });
});
