import { describe, expect, it } from "vitest";
import { socketNameProblem } from "../../src/identity/socket-name.js";

// The roster's `socket:` and a future `--socket NAME` option share this rule.
describe("socketNameProblem", () => {
  it.each(["mosaic-factory", "mosaic-demo", "a", "A_b-9", "x".repeat(64), "Default", "defaults", "_x", "9-", "a--b"])("accepts %s", (name) => {
    expect(socketNameProblem(name)).toBeUndefined();
  });

  it.each([
    ["default", "is the default tmux server's socket; the fleet needs a socket of its own, e.g. mosaic-factory"],
    ["", "may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)"],
    ["my.socket", "may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)"],
    ["a/b", "may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)"],
    ["x".repeat(65), "may contain only A-Z, a-z, 0-9, '-' and '_' (1 to 64 characters)"],
    // Typed as `tmux -L NAME`, these read as options.
    ["-L", "must start with a letter, digit or '_'"],
    ["--", "must start with a letter, digit or '_'"],
    ["-", "must start with a letter, digit or '_'"],
    ["-mosaic", "must start with a letter, digit or '_'"],
  ])("refuses %j", (name, message) => {
    expect(socketNameProblem(name)).toBe(message);
  });
});
