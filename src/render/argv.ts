import { quoteForDisplay } from "../text/quote.js";

/** An argv list as a reader would type it, each argument on its safe one-line form. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quoteForDisplay).join(" ");
}
