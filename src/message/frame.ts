/**
 * Messages to agents: what may be sent, and the one header that says who
 * sent it. agent-send.sh writes the header and send-message.sh types the
 * text; this module holds the same rules so the CLI refuses bad input
 * before anything runs, and tests can read a delivered message back.
 *
 * A delivered message reads, in the agent's input:
 *
 *     [from LABEL] first line of the message
 *     further lines, as typed
 */

/**
 * A source label: letters, digits and `._:@/+-`, starting with a letter or
 * digit, so it can never be read as an option, a tmux target (`=`, `%`) or
 * the end of the header (`]`). The same pattern as agent-send.sh's.
 */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,127}$/;

/** How the header starts; no line of a message may start so. */
const HEADER_START = "[from ";

/** The label of operator-origin traffic: `mosaic agent send` passes it unless told otherwise. */
export function operatorLabel(hostname: string): string {
  return `${hostname}:operator`;
}

export function labelProblem(label: string): string | null {
  if (LABEL_PATTERN.test(label)) return null;
  return `not a source label: ${JSON.stringify(label)} (letters, digits and ._:@/+- starting with a letter or digit, at most 128)`;
}

/** More than anyone types; a bigger file was almost certainly named by mistake. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export type PreparedMessage = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

/**
 * The text as it will be typed: CRLF line ends made LF, trailing newlines
 * dropped (each would submit the message early, or an empty one). Refused:
 * an empty message, one over MAX_MESSAGE_BYTES, any control character but
 * tab and newline (an escape could end a bracketed paste early and submit
 * the rest as keys; Ctrl+C would interrupt the agent), and a line that
 * starts with `[from ` (it would read as a message of its own), each
 * located by line and column.
 */
export function prepareMessage(raw: string): PreparedMessage {
  const typed = typeableText(raw);
  if (!typed.ok) return typed;
  // U+2028 and U+2029 start a line wherever the text is shown, as a newline does.
  const lines = typed.text.split(/[\n\u2028\u2029]/);
  const at = lines.findIndex(readsAsHeader);
  if (at !== -1) return { ok: false, problem: `line ${at + 1}: a line may not start with "${HEADER_START}" (after spaces, in any case or width): it would read as a message of its own` };
  return typed;
}

/**
 * Whether a line would read as a header once an agent trims it, or once a
 * person reads it: with every character that shows nothing taken out
 * (whitespace, format characters such as zero-width spaces and joiners,
 * combining marks and variation selectors, blank letters such as the
 * Braille and Hangul fillers), at its start and inside the word, behind
 * markdown that renders as nothing, in any case, and in any width (NFKC makes a full-width `［ｆｒｏｍ` the ASCII
 * `[from`). Letters that merely look alike (a Cyrillic `а`) are not caught.
 */
function readsAsHeader(line: string): boolean {
  const shown = line.normalize("NFKC").slice(0, 256).replace(INVISIBLE, "").replace(MARKDOWN_LEAD, "");
  return /^\[from\s/i.test(shown);
}

/**
 * What an agent that renders markdown (pi does) shows as nothing at a
 * line's start: whitespace, a backslash escape, emphasis and code marks, a
 * quote's `>` and a heading's `#`. `\[from x]` and `**[from x]**` show as
 * a header. A list's `-` shows a bullet, which reads as no header.
 */
const MARKDOWN_LEAD = /^[\s\\*_~`>#]+/;

/** Characters that show nothing (whitespace aside, which trimStart takes from the front): format characters, marks, and letters blank by design. */
const INVISIBLE = /[\p{Cf}\p{M}\u2800\u3164\u115f\u1160\uffa0\u180e]/gu;

/**
 * Text that can be typed into a pane as it is: the rules above but the
 * header's, which send-message.sh (typing an already framed message) does
 * not apply.
 */
export function typeableText(raw: string): PreparedMessage {
  if (Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) return { ok: false, problem: `the message is over ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB` };
  const text = raw.replace(/\r\n/g, "\n").replace(/\n+$/, "");
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.exec(lines[i]!);
    if (m) {
      const code = m[0].charCodeAt(0).toString(16).padStart(2, "0");
      return { ok: false, problem: `line ${i + 1}, column ${m.index + 1}: control character \\x${code}; a message may hold tabs and newlines, no other control characters` };
    }
  }
  if (text.trim() === "") return { ok: false, problem: "the message is empty" };
  return { ok: true, text };
}

/** The text an agent receives for `body` sent as `label`. */
export function framed(label: string, body: string): string {
  return `${HEADER_START}${label}] ${body}`;
}

/** A received message's label and body; null when it does not start with a header. */
export function parseFramed(text: string): { readonly label: string; readonly body: string } | null {
  const m = /^\[from ([^\]\s]+)\] /.exec(text);
  if (!m || !LABEL_PATTERN.test(m[1]!)) return null;
  return { label: m[1]!, body: text.slice(m[0].length) };
}
