import { readTextFile } from "../adapters/fs.js";
import { frameworkDir, frameworkPaths } from "../framework.js";

/** The example rosters `mosaic fleet init --profile` can install. */
export const PROFILES = ["minimal", "local-canary", "demo"] as const;
export type Profile = (typeof PROFILES)[number];

export function isProfile(name: string): name is Profile {
  return (PROFILES as readonly string[]).includes(name);
}

export interface ProfilePlaces {
  readonly schemaPath: string;
  readonly frameworkDir: string;
  readonly nodePath: string;
}

/**
 * A shipped example made ready to live elsewhere: the editor's `$schema`
 * pointer becomes absolute (the relative one only works beside the
 * example), and the demo's `{{framework}}` / `{{node}}` placeholders name
 * this installation, so the demo agent runs without anything on PATH.
 */
export function renderProfile(text: string, places: ProfilePlaces): string {
  return text
    .replace(/^# yaml-language-server: \$schema=.*$/m, `# yaml-language-server: $schema=${places.schemaPath}`)
    .replaceAll("{{framework}}", places.frameworkDir)
    .replaceAll("{{node}}", places.nodePath);
}

export async function readProfile(profile: Profile): Promise<string> {
  const text = await readTextFile(frameworkPaths.example(profile), 1 << 20);
  return renderProfile(text, { schemaPath: frameworkPaths.rosterSchema, frameworkDir, nodePath: process.execPath });
}
