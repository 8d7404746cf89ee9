import { expect } from "vitest";

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

export interface SeedTally {
  /** For the test's title: `[412 of 500 seeds made a plan; floor 250]`. */
  readonly title: string;
  /** Fails below the floor (unless one seed is replayed). */
  readonly checkFloor: () => void;
}

/**
 * How many seeds really exercised a property (`count` of `seeds`, each
 * `what`), said in the test's title so every run shows how much it
 * checked, and held to a floor (`floorShare` of the seeds, rounded up), so
 * a generator that drifts into refused or trivial worlds fails instead of
 * passing on almost nothing. PROPERTY_SEEDS=N scales the floor with N.
 */
export function seedTally(count: number, seeds: readonly number[], what: string, floorShare: number): SeedTally {
  const floor = Math.ceil(seeds.length * floorShare);
  return {
    title: replaying ? `[replaying seed ${seeds.join(", ")}]` : `[${count} of ${seeds.length} seeds ${what}; floor ${floor}]`,
    checkFloor: () => {
      if (replaying) return;
      expect(count, `only ${count} of ${seeds.length} seeds ${what}: below the floor of ${floor}, so the property was barely checked; look at the generator`).toBeGreaterThanOrEqual(floor);
    },
  };
}
