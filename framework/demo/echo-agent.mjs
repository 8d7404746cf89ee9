#!/usr/bin/env node
// The demo agent: a stand-in for pi, claude or codex that needs nothing
// installed. It prints a greeting, then answers every message typed or
// pasted into its pane with `[NAME] received: MESSAGE`, so delivery can be
// seen with `mosaic agent tail`.
//
// On a terminal it takes input the way agent TUIs do: raw keys, bracketed
// paste (a pasted newline belongs to the message; Enter outside a paste
// submits it), Backspace and Ctrl+U edit, Ctrl+C clears the line, other
// escape sequences (arrow keys) are ignored. Without a terminal it answers
// each line.
//
// DEMO_LOG: a file each submitted message is appended to as one JSON line,
// {"agent", "n", "text"}, exactly as received: what tests compare with what
// they sent.
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";

const name = process.env.MOSAIC_AGENT_NAME ?? "demo";
const greeting = process.env.DEMO_GREETING ?? "ready";
const log = process.env.DEMO_LOG;
const conversation = process.argv.includes("--resume") || process.argv.includes("--continue") ? "resuming the last conversation" : "new conversation";
/** Printed once input is set up: a message sent after it is taken whole. */
const greet = () => process.stdout.write(`[${name}] ${greeting}: ${conversation} (pid ${process.pid})\n`);

let count = 0;
function answer(text) {
  count += 1;
  if (log) appendFileSync(log, `${JSON.stringify({ agent: name, n: count, text })}\n`);
  const [first, ...rest] = text.split("\n");
  process.stdout.write(`[${name}] received: ${first}\n`);
  for (const line of rest) process.stdout.write(`[${name}]   ${line}\n`);
}

process.on("SIGTERM", () => {
  process.stdout.write(`[${name}] stopping\n`);
  process.exit(0);
});

if (process.stdin.isTTY) takeKeys();
else takeLines();

function takeLines() {
  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on("line", (line) => answer(line));
  greet();
  // Keep running when the pane's input closes, as a real agent would until stopped.
  rl.on("close", () => setInterval(() => {}, 1 << 30));
}

function takeKeys() {
  const PASTE_START = "\x1b[200~";
  const PASTE_END = "\x1b[201~";
  const decoder = new StringDecoder("utf8");
  let input = "";
  let pending = "";
  let pasting = false;
  const prompt = () => process.stdout.write("> ");
  const type = (text) => {
    input += text;
    process.stdout.write(text.replaceAll("\n", "\r\n"));
  };

  process.stdin.setRawMode(true);
  process.stdout.write("\x1b[?2004h"); // ask for bracketed paste, as TUIs do
  process.on("exit", () => process.stdout.write("\x1b[?2004l"));
  greet();
  prompt();

  process.stdin.on("data", (chunk) => {
    let s = pending + decoder.write(chunk);
    pending = "";
    while (s.length > 0) {
      if (pasting) {
        const end = s.indexOf(PASTE_END);
        if (end < 0) {
          // Keep a tail that may be the start of the end marker for the next chunk.
          const keep = partialSuffix(s, PASTE_END);
          type(s.slice(0, s.length - keep).replaceAll("\r", "\n"));
          pending = s.slice(s.length - keep);
          return;
        }
        type(s.slice(0, end).replaceAll("\r", "\n"));
        s = s.slice(end + PASTE_END.length);
        pasting = false;
        continue;
      }
      const c = s[0];
      if (c === "\x1b") {
        if (s.startsWith(PASTE_START)) {
          pasting = true;
          s = s.slice(PASTE_START.length);
          continue;
        }
        const m = /^\x1b(\[[0-?]*[ -/]*[@-~]|O.|[^[O])/.exec(s);
        if (!m) {
          pending = s; // an escape sequence cut in two: wait for its rest
          return;
        }
        s = s.slice(m[0].length);
        continue;
      }
      s = s.slice(1);
      if (c === "\r" || c === "\n") {
        process.stdout.write("\r\n");
        if (input.trim() !== "") answer(input);
        input = "";
        prompt();
      } else if (c === "\x7f" || c === "\b") {
        if (input.length > 0) {
          input = input.slice(0, -1);
          process.stdout.write("\b \b");
        }
      } else if (c === "\x03" || c === "\x15") {
        input = "";
        process.stdout.write("\r\n");
        prompt();
      } else if (c >= " " || c === "\t") {
        type(c);
      }
    }
  });
}

/** How many characters at the end of `s` begin `marker`. */
function partialSuffix(s, marker) {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) {
    if (marker.startsWith(s.slice(s.length - n))) return n;
  }
  return 0;
}
