import { createHash } from "node:crypto";

/** The identity of a file's bytes, as the install record keeps it. */
export function fileHash(content: string): string {
  return `sha256:${createHash("sha256").update(content, "utf8").digest("hex")}`;
}
