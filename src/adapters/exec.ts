import { spawn } from "node:child_process";

/**
 * execa, loaded when mosaic first starts a process: a command that starts
 * none (`--help`, `--version`, `agent roster`) never evaluates it, which
 * was the largest part of start-up after Node's own.
 */
type Execa = typeof import("execa").execa;

let loaded: Promise<Execa> | undefined;

export function loadExeca(): Promise<Execa> {
  loaded ??= import("execa").then((m) => m.execa);
  return loaded;
}

export interface ProgramResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The program was not found, or could not be started. */
  readonly notStarted: string | null;
}

/**
 * Run a program to its end, as an argv array (never a shell string), with
 * exactly the environment given. For commands mosaic runs as a user would
 * (npm, an installed mosaic): their exit status is an answer, not an error.
 */
export async function runProgram(argv: readonly string[], opts: { env: Readonly<Record<string, string | undefined>>; cwd?: string; timeoutMs?: number; cancel?: AbortSignal }): Promise<ProgramResult> {
  const execa = await loadExeca();
  const [file, ...args] = argv;
  // `cancel`: when it aborts, the program gets a TERM (a KILL 5 s later, execa's default), and this
  // returns once it has exited, so nothing it was doing goes on behind the caller's back. Such a
  // program runs in a process group (and session) of its own: the caller alone decides when it stops.
  // In the caller's group, a Ctrl+C or hangup to the group reached it too, and its death could reach
  // the caller before the caller's own signal handler ran (seen with the release preflight: the step
  // reported "killed with SIGINT" as a failure, and the signal counted as after the last step).
  const cancellable = opts.cancel ? { cancelSignal: opts.cancel, detached: true } : {};
  const r = await execa(file!, args, { env: opts.env, extendEnv: false, reject: false, stdin: "ignore", cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 64 << 20, ...cancellable });
  const code = (r.cause as { code?: string } | undefined)?.code;
  const ended = r.isCanceled ? "stopped: interrupted" : r.timedOut ? `timed out after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s` : (code ?? r.shortMessage ?? "not started");
  const notStarted = r.exitCode === undefined ? ended : null;
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), notStarted };
}

export interface FileResult {
  /** null when a signal ended it, or it never started. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it could not be started (ENOENT: not found), or null. */
  readonly startError: string | null;
}

/**
 * Run a short-lived tool (tmux) as an argv array, with exactly `env`,
 * `input` on its standard input (else none), in a process group of its own
 * when `detached`. Plain child_process rather than execa: every mosaic
 * command and every unit start runs tmux, and execa and what it pulls in
 * are most of the session tool's size and start-up (measured: 290 of its
 * 358 KB). One final newline of each output is dropped, as execa does.
 */
export function runFile(file: string, args: readonly string[], opts: { env: Readonly<Record<string, string | undefined>>; input?: string; detached?: boolean }): Promise<FileResult> {
  return new Promise((resolve) => {
    // From "/": a tmux client started in a folder it cannot read (or one deleted) fails with no word of why, and no call needs the caller's folder.
    const child = spawn(file, args, { cwd: "/", env: opts.env as NodeJS.ProcessEnv, stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"], detached: opts.detached ?? false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let startError: string | null = null;
    child.stdout!.on("data", (d: Buffer) => out.push(d));
    child.stderr!.on("data", (d: Buffer) => err.push(d));
    child.once("error", (e: NodeJS.ErrnoException) => (startError = e.code ?? e.message));
    if (opts.input !== undefined) {
      // A tool that exits before reading all of it (a refused command) closes the pipe: not an error here.
      child.stdin!.on("error", () => {});
      child.stdin!.end(opts.input);
    }
    child.once("close", (code) => {
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
      resolve({ exitCode: startError === null ? code : null, stdout: text(out), stderr: text(err), startError });
    });
  });
}
