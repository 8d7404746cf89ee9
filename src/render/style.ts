import kleur from "kleur";

/** Colour functions, or identities when colour is off; renderers take one as a parameter. */
export interface Style {
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly red: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const plain = (s: string) => s;

export const noColor: Style = { green: plain, yellow: plain, red: plain, cyan: plain, bold: plain, dim: plain };

export function createStyle(enabled: boolean): Style {
  if (!enabled) return noColor;
  kleur.enabled = true; // we decided already; kleur's own TTY probe looks at process.stdout only
  return {
    green: (s) => kleur.green(s),
    yellow: (s) => kleur.yellow(s),
    red: (s) => kleur.red(s),
    cyan: (s) => kleur.cyan(s),
    bold: (s) => kleur.bold(s),
    dim: (s) => kleur.dim(s),
  };
}

/** Colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function colorWanted(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}
