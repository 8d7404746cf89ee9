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
