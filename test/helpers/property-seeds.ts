/**
 * The seeds a property test runs: 1..count, or PROPERTY_SEEDS=N of them for
 * a longer hunt, or only PROPERTY_SEED=S to replay the one a failure named.
 */
export function propertySeeds(count: number): number[] {
  const one = process.env.PROPERTY_SEED;
  if (one !== undefined && one !== "") return [Number(one)];
  return Array.from({ length: Number(process.env.PROPERTY_SEEDS ?? count) }, (_, i) => i + 1);
}

/** True when the run replays one seed: counts of how many generated cases had some shape mean nothing then. */
export const replaying = (process.env.PROPERTY_SEED ?? "") !== "";
