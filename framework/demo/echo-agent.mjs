#!/usr/bin/env node
// The demo agent: a stand-in for pi, claude or codex that needs nothing
// installed. It prints a greeting, then echoes every line typed into its pane,
// so message delivery can be seen with `tmux capture-pane`.
import { createInterface } from "node:readline";

const name = process.env.MOSAIC_AGENT_NAME ?? "demo";
const greeting = process.env.DEMO_GREETING ?? "ready";
const conversation = process.argv.includes("--resume") ? "resuming the last conversation" : "new conversation";
process.stdout.write(`[${name}] ${greeting}: ${conversation} (pid ${process.pid})\n`);

const rl = createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  process.stdout.write(`[${name}] received: ${line}\n`);
});
// Keep running when the pane's input closes, as a real agent would until stopped.
rl.on("close", () => setInterval(() => {}, 1 << 30));
process.on("SIGTERM", () => {
  process.stdout.write(`[${name}] stopping\n`);
  process.exit(0);
});
