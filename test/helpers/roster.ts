import { parseRoster } from "../../src/roster/parse.js";
import { RosterError } from "../../src/roster/roster-error.js";
import { rosterValidator } from "../../src/roster/schema.js";
import type { DesiredFleet } from "../../src/roster/types.js";

const validate = await rosterValidator();

/** Parse roster text as if it were the site roster (or `path`) of a user whose home is /home/op. */
export function parse(text: string, path = "/site/fleet/roster.yaml"): DesiredFleet {
  return parseRoster({ path, display: "roster.yaml", text }, { validate, home: "/home/op" });
}

/** The roster errors `text` is refused with, one line each; fails if it is accepted. */
export function errorsOf(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof RosterError) return err.message.split("\n");
    throw err;
  }
  throw new Error("expected the roster to be refused");
}

/** Lines of YAML, as a file. */
export const y = (lines: string[]): string => lines.join("\n") + "\n";
