import { describe, expect, it } from "vitest";
import { firstMatch, followUp, lastLines, newLines, paneLines, withoutEcho } from "../../src/message/pane-text.js";

describe("paneLines", () => {
  it("leaves out tmux's own 'Pane is dead' line of a dead pane, and the blank rows above it", () => {
    const captured = "bye\n\n\n\nPane is dead (status 7, Wed Nov 25 08:50:00 2026)\n";
    expect(paneLines(captured, { dead: true })).toEqual(["bye"]);
    // The agent's own output saying so is kept while it runs, and a live pane's text is as it is.
    expect(paneLines("Pane is dead (status 7, x)\n", { dead: false })).toEqual(["Pane is dead (status 7, x)"]);
  });

  it("drops trailing spaces and the blank rows below the output", () => {
    expect(paneLines("one   \n  two\n\n\n   \n")).toEqual(["one", "  two"]);
    expect(paneLines("\n\n")).toEqual([]);
  });

  it("keeps blank lines between output", () => {
    expect(paneLines("a\n\nb\n")).toEqual(["a", "", "b"]);
  });
});

describe("lastLines", () => {
  it("takes the last n", () => {
    expect(lastLines(["a", "b", "c"], 2)).toEqual(["b", "c"]);
    expect(lastLines(["a"], 5)).toEqual(["a"]);
    expect(lastLines(["a"], 0)).toEqual([]);
  });
});

describe("newLines", () => {
  it("finds lines a scrolling pane added", () => {
    expect(newLines(["a", "b", ">"], ["a", "b", "> hi", "answer", ">"])).toEqual(["> hi", "answer"]);
  });

  it("counts repeats: a line shown once more is new once", () => {
    expect(newLines(["ok", "ok"], ["ok", "ok", "ok"])).toEqual(["ok"]);
  });

  it("finds what a redrawn screen changed, not the lines it kept", () => {
    expect(newLines(["header", "old answer", "footer"], ["header", "old answer", "new answer", "footer"])).toEqual(["new answer"]);
  });
});

describe("followUp", () => {
  it("prints only what follows the lines already shown", () => {
    expect(followUp(["a", "b"], ["a", "b", "c"])).toEqual(["c"]);
    expect(followUp(["a", "b"], ["a", "b"])).toEqual([]);
  });

  it("follows output whose window has scrolled", () => {
    expect(followUp(["a", "b", "c"], ["b", "c", "d", "e"])).toEqual(["d", "e"]);
  });

  it("prints a last line again once it has grown, without taking a repeated prompt for the old one", () => {
    expect(followUp(["greeting", ">"], ["greeting", "> hi", "received: hi", ">"])).toEqual(["> hi", "received: hi", ">"]);
  });

  it("falls back to the changed lines when the screen was redrawn", () => {
    expect(followUp(["top", "one", "bottom"], ["top", "two", "bottom"])).toEqual(["two"]);
  });
});

describe("withoutEcho", () => {
  it("drops lines that only repeat what was typed, behind a prompt or a frame, and keeps the answer", () => {
    const sent = "[from vm:operator] status check\nsecond line";
    const lines = ["> [from vm:operator] status check", " [from vm:operator] status check  ", "│ second line", "[a] received: [from vm:operator] status check", "ANSWER 1: status"];
    expect(withoutEcho(lines, sent)).toEqual(["[a] received: [from vm:operator] status check", "ANSWER 1: status"]);
  });
});

describe("firstMatch", () => {
  it("finds the first matching line", () => {
    expect(firstMatch(/ANSWER \d+/, ["x", "ANSWER 1", "ANSWER 2"], 1000)).toEqual({ kind: "match", line: "ANSWER 1" });
    expect(firstMatch(/nope/, ["x"], 1000)).toEqual({ kind: "none" });
  });

  it("gives up on a pattern that backtracks for ever, instead of hanging", () => {
    expect(firstMatch(/(a+)+b/, [`${"a".repeat(40)}!`], 200)).toEqual({ kind: "too-slow" });
  });
});
