import type { ErrorObject, ValidateFunction } from "ajv";
import { rosterSchema, validate } from "./roster-validator.generated.js";
import { agentNameProblem } from "./names.js";
import { socketNameProblem } from "../identity/socket-name.js";
import { reservedEnvProblem } from "./env-names.js";
import { COMMAND_WITH_EQUALS } from "./agent-paths.js";
import type { PathSegment } from "./locate.js";
import { pointerToPath, valueAt } from "./locate.js";

/** A schema violation in roster terms: where, about what, and why. */
export interface SchemaProblem {
  readonly path: PathSegment[];
  /** "key" when the key itself is wrong (unknown key), else its value. */
  readonly target: "key" | "value";
  readonly message: string;
  /** True when the offending value should be quoted in the message. */
  readonly showValue: boolean;
}

/**
 * The shipped schema's validator, compiled by ajv at build time
 * (scripts/roster-validator.mjs): no run loads ajv or compiles the schema.
 * It reports errors exactly as ajv.compile() would; `schema` is the schema
 * it was made from, for "did you mean" suggestions.
 */
export function rosterValidator(): Promise<ValidateFunction> {
  return Promise.resolve(Object.assign(validate, { schema: rosterSchema }) as unknown as ValidateFunction);
}

/** The keys allowed in the mapping at `parent`, for "did you mean" suggestions. */
function knownKeys(schema: unknown, parent: readonly PathSegment[]): string[] {
  type Props = { properties?: Record<string, Props> };
  const root = schema as Props & { $defs?: Record<string, Props> };
  const settings = root.$defs?.agentSettings?.properties ?? {};
  const keys = (props: Props | undefined) => Object.keys(props?.properties ?? {});
  if (parent.length === 0) return keys(root);
  if (parent[parent.length - 1] === "submit") return keys(settings.submit);
  if (parent[0] === "agents" && parent.length === 2) return ["name", ...Object.keys(settings)];
  if (parent[0] === "defaults" && parent.length === 1) return Object.keys(settings);
  return [];
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

/** Turn ajv's errors into one problem each, in the roster's own words. */
export function describeSchemaErrors(errors: readonly ErrorObject[], schema: unknown, data: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    const p = err.params as Record<string, unknown>;
    const propertyName = (err as ErrorObject & { propertyName?: string }).propertyName;
    switch (err.keyword) {
      case "required":
        out.push({ path, target: "value", showValue: false, message: `missing required key "${String(p.missingProperty)}"` });
        break;
      case "additionalProperties":
      case "unevaluatedProperties": {
        const key = String(p.additionalProperty ?? p.unevaluatedProperty);
        const keyPath = [...path, key];
        out.push({ path: keyPath, target: "key", showValue: false, message: unknownKeyMessage(key, knownKeys(schema, keyPath.slice(0, -1)), path) });
        break;
      }
      case "type":
        out.push({ path, target: "value", showValue: true, message: typeMessage(String(p.type), valueAt(data, path), path[path.length - 1]) });
        break;
      case "enum":
        out.push({ path, target: "value", showValue: true, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` });
        break;
      case "const":
        out.push({ path, target: "value", showValue: true, message: `must be ${JSON.stringify(p.allowedValue)}` });
        break;
      case "minLength":
        out.push({ path, target: "value", showValue: true, message: "must not be empty" });
        break;
      case "minimum":
      case "maximum":
        out.push({ path, target: "value", showValue: true, message: `must be ${err.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}` });
        break;
      case "not":
        // Two `not`s in the schema: reserved env names (under propertyNames) and the default tmux socket.
        if (propertyName !== undefined) {
          out.push({ path: [...path, propertyName], target: "key", showValue: false, message: reservedEnvProblem(propertyName) ?? "is not allowed here" });
        } else {
          out.push({ path, target: "value", showValue: true, message: socketNameProblem(String(valueAt(data, path))) ?? "is not allowed here" });
        }
        break;
      case "propertyNames":
        break; // reported through the inner error, which names the key
      case "pattern":
        if (propertyName !== undefined) {
          out.push({ path: [...path, propertyName], target: "key", showValue: false, message: "is not a valid environment variable name (letters, digits and '_', not starting with a digit)" });
        } else {
          out.push({ path, target: "value", showValue: true, message: patternMessage(err.schemaPath, valueAt(data, path)) });
        }
        break;
      default:
        out.push({ path, target: "value", showValue: true, message: err.message ?? "is not valid" });
    }
  }
  return out;
}

function typeMessage(expected: string, value: unknown, key: PathSegment | undefined): string {
  const base = `must be ${TYPE_WORDS[expected] ?? expected}`;
  // YAML reads `3`, `true` and `on` as numbers and booleans; env values are strings.
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) return `${base} (quote it: "${String(value)}")`;
  // ...and `~` as null, which is a surprise in `cwd: ~`.
  if (expected === "string" && value === null) return `${base} (YAML reads an empty value or a lone ~ as null${key === "cwd" ? '; quote it: "~"' : ""})`;
  return base;
}

function patternMessage(schemaPath: string, value: unknown): string {
  if (schemaPath.includes("agentName")) return agentNameProblem(String(value)) ?? "is not a valid agent name";
  if (schemaPath.includes("/command/")) return COMMAND_WITH_EQUALS;
  if (schemaPath.includes("/socket/")) return socketNameProblem(String(value)) ?? "is not a valid socket name";
  if (schemaPath.includes("/submit/")) return "must be a tmux key name such as Enter, C-m or Tab";
  return "has an invalid format";
}

function unknownKeyMessage(key: string, known: readonly string[], parent: PathSegment[]): string {
  const close = known.filter((k) => editDistance(k, key) <= 2).sort((a, b) => editDistance(a, key) - editDistance(b, key));
  if (key === "name" && parent[0] === "defaults") return "unknown key (every agent needs its own name; it cannot have a default)";
  if (key === "backend" && parent.length > 0) return "unknown key (backend is a setting of the whole fleet: put it at the top level of the roster)";
  if (close[0] !== undefined) return `unknown key (did you mean "${close[0]}"?)`;
  // A compose user keeps anchors under a top-level key of their own; here it needs the x- prefix.
  const extension = parent.length === 0 ? "; or start it with x- to keep anchors there" : "";
  return `unknown key${known.length ? ` (expected one of: ${known.join(", ")}${extension})` : ""}`;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
