import type { ObservedFile, ObservedFleet } from "../../observe/types.js";
import { fileHash } from "../../identity/file-hash.js";
import { safeJsonString } from "../../text/safe-text.js";
import type { FileType } from "../types.js";
import type { FactValue, KindFacts } from "./kind.js";

/** The suffixes systemd gives unit files (systemd.unit(5)). */
const UNIT_SUFFIXES = [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

/**
 * Which file kind an observed path is, from its name alone, so every file
 * the observation holds is some kind's fact and the fingerprint misses
 * none: a launch file ends in `.launch` (launch-files.ts names them so),
 * a unit file in a unit suffix, and everything else mosaic reads is a tool.
 */
export function fileTypeOfPath(path: string): FileType {
  if (path.endsWith(".launch")) return "file.launch";
  return UNIT_SUFFIXES.some((s) => path.endsWith(s)) ? "file.unit" : "file.tool";
}

/**
 * The files of one kind, by path: what planFile decides from (bytes by
 * hash, mode, what is in the way), and for product files the bytes the
 * install record says mosaic wrote, which tell an edit by hand.
 */
export function fileFacts(observed: ObservedFleet, type: FileType): KindFacts {
  const out: Record<string, FactValue> = {};
  for (const [path, f] of Object.entries(observed.files)) {
    if (fileTypeOfPath(path) !== type) continue;
    out[`file ${safeJsonString(path)}`] = type === "file.launch" ? fileFact(f) : { ...fileFact(f), recorded: observed.installRecord[path] ?? null };
  }
  return out;
}

function fileFact(f: ObservedFile): { readonly [key: string]: FactValue } {
  switch (f.kind) {
    case "file":
      return { kind: f.kind, sha256: fileHash(f.content), mode: f.mode };
    case "missing":
      return { kind: f.kind };
    case "other":
      return { kind: f.kind, what: f.what, folder: f.folder ?? null };
  }
}
