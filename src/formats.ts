/**
 * The format version of every JSON document mosaic writes for programs to
 * read, by document: the one table (the README's is checked against it),
 * and jsonDocument() the one place that stamps it. A document's fields may
 * be added to freely; renaming or removing one takes a new major version.
 */
export const FORMAT_VERSIONS = {
  /** `fleet plan --json`, `fleet show --json`, `install-systemd`/`update --dry-run --json`. */
  plan: "2.0",
  /** `fleet status --json`, `agent status --json`. */
  status: "1.1",
  /** `agent roster --json`. */
  roster: "2.0",
  /** `fleet verify --json`. */
  verify: "1.0",
  /** `fleet preflight --json`. */
  preflight: "1.0",
  /** `agent send --json`; 1.1: to several agents, `results`, one entry per agent. */
  "agent-send": "1.1",
  /** `agent tail --json`; 1.1: of several agents, `results`, one entry per agent. */
  "agent-tail": "1.1",
  /** Any command with `--json` that fails: its error, so a script always has JSON to parse. */
  error: "1.0",
  /** The file `fleet plan --out` writes; a file of another version is refused. */
  "saved-plan": "mosaic-saved-plan/3",
} as const;

export type DocumentKind = keyof typeof FORMAT_VERSIONS;

/** Only jsonDocument() makes one: a document printed is a document stamped. (A type-only mark: nothing at run time.) */
declare const stamped: unique symbol;

/** A document stamped with its kind's format version, first, where a reader looks. */
export type JsonDocument<K extends DocumentKind = DocumentKind, T extends object = object> = { readonly format_version: (typeof FORMAT_VERSIONS)[K] } & T & { readonly [stamped]: K };

export function jsonDocument<K extends DocumentKind, T extends object>(kind: K, body: T & { readonly format_version?: never }): JsonDocument<K, T> {
  return { format_version: FORMAT_VERSIONS[kind], ...body } as JsonDocument<K, T>;
}
