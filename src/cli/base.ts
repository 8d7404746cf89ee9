import { jsonDocument, type JsonDocument } from "../formats.js";
import { createInterface } from "node:readline/promises";
import { isAbsolute, resolve } from "node:path";
import { Command, Option } from "clipanion";
import { UserError } from "../errors.js";
import { loadRoster } from "../roster/load.js";
import { resolveRosterPath } from "../roster/paths.js";
import { homeDir } from "../xdg.js";
import type { DesiredFleet } from "../roster/types.js";
import { colorWanted, createStyle, type Style } from "../render/style.js";
import { escapeRiskyInJson } from "../text/safe-text.js";
import { GuardedOutput } from "./output.js";
import { discardTypeAhead } from "../adapters/tty.js";

/**
 * Shared options and error reporting for every mosaic command. Subclasses
 * implement run(): load, call pure code, render, return the exit code.
 */
export abstract class MosaicCommand extends Command {
  rosterOption = Option.String("--roster", {
    description: "Roster file to use instead of $XDG_CONFIG_HOME/mosaic/fleet/roster.yaml",
  });

  debug = Option.Boolean("--debug", false, {
    description: "Print the stack trace of an unexpected error",
  });

  protected abstract run(): Promise<number>;

  /** Check option values that clipanion takes as plain strings; throw a UserError for a bad one. */
  protected checkOptions(): void {}

  /** Check the environment the command depends on, before it reads or changes anything. */
  protected async checkEnvironment(): Promise<void> {}

  async execute(): Promise<number> {
    try {
      // Before run(): a mistyped option must stop the command before it reads or changes anything.
      this.checkOptions();
      await this.checkEnvironment();
      return await this.run();
    } catch (err) {
      return this.reportError(err);
    }
  }

  protected get env(): Readonly<Record<string, string | undefined>> {
    return this.context.env;
  }

  protected get rosterPath(): string {
    return this.rosterOption === undefined ? resolveRosterPath(undefined, this.env, "/") : this.absolutePath(this.rosterOption, "--roster");
  }

  /**
   * `path` made absolute against the working folder, which may be gone
   * (deleted under the shell) or unreadable: then only a relative path
   * needs it, and is refused, saying so. Everything else works from there.
   */
  protected absolutePath(path: string, what: string): string {
    if (isAbsolute(path)) return resolve(path);
    const cwd = workingFolder();
    if (cwd === null) throw new UserError(`${what} ${path} is a relative path, and the current folder is gone (deleted) or cannot be read`, ["Give an absolute path, or cd to a folder that exists."]);
    return resolve(cwd, path);
  }

  protected get home(): string {
    return homeDir(this.env);
  }

  protected async loadDesired(): Promise<DesiredFleet> {
    return loadRoster({ path: this.rosterPath, home: this.home, cwd: workingFolder() ?? "/" });
  }

  protected get style(): Style {
    return createStyle(colorWanted(this.context.stdout as { isTTY?: boolean }, this.env));
  }

  protected get errStyle(): Style {
    return createStyle(colorWanted(this.context.stderr as { isTTY?: boolean }, this.env));
  }

  /** stdout through its guard: a failed write never throws or stops the command (see GuardedOutput). */
  protected get stdout(): GuardedOutput {
    return GuardedOutput.of(this.context.stdout);
  }

  protected get stderr(): GuardedOutput {
    return GuardedOutput.of(this.context.stderr);
  }

  /** Whether anything went to stdout yet: a JSON error document is printed only on an empty stdout. */
  private printed = false;

  protected print(text: string): void {
    this.printed = true;
    this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  protected printErr(text: string): void {
    this.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /**
   * JSON with the characters a terminal would act on (C1 controls, bidi
   * overrides) escaped: still the same JSON. Only a document stamped with
   * its format version (jsonDocument, src/formats.ts) is printed.
   */
  protected printJson<D extends JsonDocument>(value: D, opts: { oneLine?: boolean } = {}): void {
    this.print(escapeRiskyInJson(opts.oneLine ? JSON.stringify(value) : JSON.stringify(value, null, 2)));
  }

  /**
   * Run `loop`, for a command that watches until told to stop, with
   * `going()` false once Ctrl+C or a TERM came (they end the watching, not
   * mosaic) or stdout closed (`| head`).
   */
  protected async untilInterrupted<T>(loop: (going: () => boolean) => Promise<T>): Promise<T> {
    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      return await loop(() => !stopped && this.stdout.failure === null);
    } finally {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
    }
  }

  /**
   * Only "y" or "yes" is a yes. Ctrl+C and Ctrl+D (or the end of input) are
   * a cancel: a "no", never an error. On a terminal readline reads Ctrl+C as
   * a key and emits 'SIGINT', and closes on Ctrl+D; left alone, it rejects
   * the question with an AbortError ("Aborted with Ctrl+C"), which reached
   * the user as "error: unexpected".
   */
  protected async askYesNo(question: string, interrupt?: AbortSignal): Promise<boolean> {
    if (this.context.stdin === process.stdin) discardTypeAhead(0);
    const rl = createInterface({ input: this.context.stdin, output: this.stdout });
    const cancel = new AbortController();
    rl.once("SIGINT", () => cancel.abort());
    rl.once("close", () => cancel.abort());
    // A signal sent to the process (not typed) ends the question too: it is a no.
    if (interrupt?.aborted) cancel.abort();
    interrupt?.addEventListener("abort", () => cancel.abort(), { once: true });
    try {
      const answer = (await rl.question(question, { signal: cancel.signal })).trim().toLowerCase();
      return answer === "y" || answer === "yes";
    } catch (err) {
      if (!cancel.signal.aborted && !(err instanceof Error && err.name === "AbortError")) throw err;
      return false; // readline ended the prompt's line when it cancelled the question
    } finally {
      rl.close();
    }
  }

  private reportError(err: unknown): number {
    const s = this.errStyle;
    const message = err instanceof Error ? err.message : String(err);
    // A script that asked for --json gets JSON on stdout even for an error (the words stay on stderr).
    if ((this as { json?: unknown }).json === true && !this.printed) {
      this.printJson(jsonDocument("error", { error: { message: err instanceof UserError ? message : `unexpected: ${message.split("\n")[0] ?? message}`, hints: err instanceof UserError ? err.hints : [] } }));
    }
    if (err instanceof UserError) {
      this.printErr(`${s.red("error:")} ${err.message}`);
      for (const hint of err.hints) this.printErr(`  ${hint}`);
      return 1;
    }
    this.printErr(`${s.red("error:")} unexpected: ${message.split("\n")[0] ?? message}`);
    if (this.debug && err instanceof Error && err.stack) this.printErr(err.stack);
    else this.printErr("  Run again with --debug to see the stack trace.");
    return 1;
  }
}

/** The working folder, or null when it was deleted or cannot be read (process.cwd() throws then). */
export function workingFolder(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}
