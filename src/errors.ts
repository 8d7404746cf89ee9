/**
 * A mistake the user can fix: bad input, a missing file, a refused overwrite.
 * The CLI prints its message alone (no stack trace) and exits 1. Anything that
 * is not a UserError is a bug or an environment failure and is reported as
 * "unexpected", with the trace behind `--debug`.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Extra lines printed after the message, e.g. how to proceed. */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
    this.name = "UserError";
  }
}
