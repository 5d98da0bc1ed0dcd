/**
 * Seeded pseudo-random numbers for the budget simulator: mulberry32, a
 * 32-bit generator that is fast, has no dependencies and gives the same
 * sequence for the same seed on every platform.
 */
export type Random = () => number;

/** A generator of floats in [0, 1) from a 32-bit `seed`. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float drawn uniformly from [min, max). */
export const uniform = (random: Random, min: number, max: number): number => min + (max - min) * random();

/** An exponential variate with the given mean (inter-arrival time of a Poisson process). */
export const exponential = (random: Random, mean: number): number => -Math.log(1 - random()) * mean;
