#!/usr/bin/env node
// A stand-in for a model behind an OpenAI-compatible API, so a real agent
// TUI (pi, as a custom provider in ~/.pi/agent/models.json) runs offline in
// tests. Just enough of POST /v1/chat/completions, streamed as server-sent
// events, for pi's "openai-completions" API. No dependencies, no tools.
//
// Usage: node stand-in-model.mjs [PORT]   (0, the default: any free port)
// The first line it prints is the port it listens on (127.0.0.1 only).
// Every request is answered `ANSWER <n>: <first 60 characters of the last
// user message, newlines and tabs escaped> (len=<length>)`, n counting
// requests from 1. STAND_IN_LOG: a file each request's last user message is
// appended to as one JSON line, {"n", "nmsgs", "text"}, exactly as received.
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const log = process.env.STAND_IN_LOG ?? "";
const MODEL = "stand-in";
let count = 0;

const textOf = (content) =>
  typeof content === "string" ? content : Array.isArray(content) ? content.filter((p) => p?.type === "text").map((p) => p.text).join("") : "";

function lastUserText(messages = []) {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === "user") return textOf(messages[i].content);
  return "";
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://x").pathname.replace(/^\/v1/, "");
  if (req.method === "GET" && path === "/models") return reply(res, 200, { object: "list", data: [{ id: MODEL, object: "model", created: 0, owned_by: "stand-in" }] });
  if (req.method !== "POST" || path !== "/chat/completions") return reply(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  let body;
  try {
    body = await readJson(req);
  } catch {
    return reply(res, 400, { error: { message: "bad json" } });
  }
  const text = lastUserText(body.messages);
  const n = ++count;
  if (log) appendFileSync(log, `${JSON.stringify({ n, nmsgs: (body.messages ?? []).length, text })}\n`);
  const preview = [...text].slice(0, 60).join("").replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  const answer = `ANSWER ${n}: ${preview} (len=${text.length})`;
  const id = `chatcmpl-stand-in-${n}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? MODEL;
  const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
  if (!body.stream) return reply(res, 200, { id, object: "chat.completion", created, model, choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }], usage });

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  const send = (o) => res.write(`data: ${JSON.stringify(o)}\n\n`);
  const chunk = (delta, finish_reason = null) => ({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason }] });
  send(chunk({ role: "assistant", content: "" }));
  for (const piece of answer.match(/[\s\S]{1,20}/g) ?? []) send(chunk({ content: piece })); // streamed, as a model does
  send(chunk({}, "stop"));
  if (body.stream_options?.include_usage) send({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
  res.end("data: [DONE]\n\n");
});

server.listen(port, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
