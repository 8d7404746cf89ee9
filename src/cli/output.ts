import { Writable } from "node:stream";
import { getSystemErrorMap } from "node:util";
import type { Style } from "../render/style.js";

type Target = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

/**
 * The one place mosaic's output goes through, one guard per stream. A write
 * can fail: the reader of a pipe left (`| head`: EPIPE), the disk is full
 * (ENOSPC), the terminal went away (EIO). Node reports that as an 'error'
 * event, which crashes the process with a stack trace when nobody listens,
 * in the middle of whatever it was doing: a reconcile must never stop there.
 * So the guard listens, records the first failure, skips every later write
 * and never throws; the command runs to its end and settleOutput() turns the
 * failure into exit status 1.
 *
 * It is a Writable so it can stand in for stdout and stderr in clipanion's
 * context and as readline's output; it passes on isTTY, columns, rows and
 * 'resize', which colour detection and readline's line editing read.
 */
export class GuardedOutput extends Writable {
  private static readonly guards = new WeakMap<object, GuardedOutput>();

  /** The guard of `stream` (the same one every time), or `stream` itself if it is one. */
  static of(stream: NodeJS.WritableStream): GuardedOutput {
    if (stream instanceof GuardedOutput) return stream;
    let guard = GuardedOutput.guards.get(stream);
    if (!guard) {
      guard = new GuardedOutput(stream);
      GuardedOutput.guards.set(stream, guard);
    }
    return guard;
  }

  /** The first write error, after which nothing more is written. */
  failure: NodeJS.ErrnoException | null = null;
  /** Whether settleOutput() has told the user about the failure already. */
  reported = false;
  private pending = 0;
  private readonly idle: (() => void)[] = [];

  private constructor(private readonly target: Target) {
    super({ decodeStrings: false });
    target.on("error", (err: NodeJS.ErrnoException) => this.fail(err));
    if (target.isTTY) target.on("resize", () => this.emit("resize"));
  }

  get isTTY(): boolean {
    return this.target.isTTY === true;
  }

  get columns(): number | undefined {
    return this.target.columns;
  }

  get rows(): number | undefined {
    return this.target.rows;
  }

  override _write(chunk: string | Buffer, encoding: BufferEncoding | "buffer", callback: (error?: Error | null) => void): void {
    if (this.failure === null) {
      this.pending += 1;
      const done = (err?: Error | null) => {
        if (err) this.fail(err as NodeJS.ErrnoException);
        this.pending -= 1;
        if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      };
      try {
        if (typeof chunk === "string") this.target.write(chunk, encoding as BufferEncoding, done);
        else this.target.write(chunk, done);
      } catch (err) {
        // Some streams throw instead of reporting (a destroyed one may); same outcome.
        this.fail(err as NodeJS.ErrnoException);
        done();
      }
    }
    callback(); // never an error: the guard itself must not fail
  }

  /**
   * Resolves once every write handed on has finished. A pipe whose reader
   * left reports EPIPE only in a later tick; settling before that would miss it.
   */
  settled(): Promise<void> {
    if (this.pending === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private fail(err: NodeJS.ErrnoException): void {
    this.failure ??= err;
  }
}

/** `ENOSPC (no space left on device)`: the code, and the system's words for it. */
export function describeWriteError(err: NodeJS.ErrnoException): string {
  const text = typeof err.errno === "number" ? getSystemErrorMap().get(err.errno)?.[1] : undefined;
  if (err.code && text) return `${err.code} (${text})`;
  return err.code ?? err.message;
}

/**
 * After a command: its exit status if all its output was written, else 1.
 * The reader of a pipe leaving (EPIPE) is deliberate and gets no message;
 * any other failure is said once, on stderr, if stderr still works.
 */
export async function settleOutput(code: number, stdout: GuardedOutput, stderr: GuardedOutput, style: Style): Promise<number> {
  await Promise.all([stdout.settled(), stderr.settled()]);
  const failure = stdout.failure ?? stderr.failure;
  if (failure === null) return code;
  if (!stdout.reported && stdout.failure !== null && stdout.failure.code !== "EPIPE" && stderr.failure === null) {
    stderr.write(`${style.red("error:")} could not write output: ${describeWriteError(stdout.failure)}; the command itself ran to its end\n`);
    await stderr.settled();
  }
  stdout.reported = true;
  return 1;
}
