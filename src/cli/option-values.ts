import { UserError } from "../errors.js";

/**
 * A plain non-negative decimal number of seconds: `0`, `5`, `2.5`. Number()
 * alone would also take "" and " " (as 0), "1e3", "0x10" and " 5".
 */
export function parseSeconds(flag: string, text: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw new UserError(`${flag} takes a plain number of seconds, like 0, 5 or 2.5; got ${JSON.stringify(text)}`);
  return Number(text);
}
