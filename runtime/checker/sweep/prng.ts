// The PRNG of random sweeps: mulberry32, seeded by the recipe's seed, so a recipe always draws
// the same trials. (The engine has its own PRNG for data; the checker may not import it.)

/** A function returning uniform draws in [0, 1), deterministic for a given seed. */
export function prng(seed: number): () => number {
  // NOTE: the constant separates the sweep's stream from other uses of the same seed.
  let a = (seed ^ 0x5eed5eed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
