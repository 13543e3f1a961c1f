// The seeded pseudo-random numbers of the runtime. Every random choice of a run (generated data,
// shuffles, splits, and elsewhere dropout masks, mixup and initial weights) draws from an `Rng`
// made here from the recipe's seed and a stream name, so a run reproduces bit for bit and two
// uses of the same seed never share a sequence.
//
// Algorithm, so that other implementations can reproduce the numbers:
// - Key: the seed and each stream part are turned into 32-bit words (a number as the two halves
//   of its IEEE-754 float64 bits, low half first; a string as its UTF-8 byte length followed by
//   its FNV-1a 32-bit hash), and the words are folded into one 32-bit key with
//   `key = fmix32(imul(key ^ word, 0x9e3779b1) + 0x7f4a7c15)`, starting from 0x811c9dc5, where
//   fmix32 is MurmurHash3's finalizer.
// - State: four successive outputs of splitmix32 started at the key fill xoshiro128**'s state.
// - Output: xoshiro128** (Blackman and Vigna, 2018, "Scrambled linear pseudorandom number
//   generators") gives uint32 words; `uniform()` is word / 2^32 in [0, 1); `normal()` is the
//   Box–Muller transform of two uniforms (u1 taken as 1 − uniform() so that log(u1) is finite),
//   returning the cosine branch first and the sine branch on the next call.

/** A stream of seeded pseudo-random numbers. */
export interface Rng {
  /** The next 32-bit output of xoshiro128**, as an unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1), with a resolution of 2^-32. */
  uniform(): number;
  /** Standard normal N(0, 1), by Box–Muller. */
  normal(): number;
  /** Uniform integer in [0, n), without modulo bias; n must be a positive integer ≤ 2^32. */
  int(n: number): number;
}

/** A part of a stream name: `createRng(seed, 'data', 'moons')`, `createRng(seed, 'dropout', 3)`. */
export type StreamPart = number | string;

/** The generator for `seed` and the stream named by `parts`; equal arguments give equal sequences. */
export function createRng(seed: number, ...parts: readonly StreamPart[]): Rng {
  let key = 0x811c9dc5;
  for (const word of [...numberWords(seed), ...parts.flatMap(partWords)]) {
    key = fmix32((Math.imul(key ^ word, 0x9e3779b1) + 0x7f4a7c15) >>> 0);
  }
  const next = splitmix32(key);
  const state: [number, number, number, number] = [next(), next(), next(), next()];
  // NOTE: the all-zero state is the one state xoshiro never leaves; splitmix32 makes it all but
  // impossible, and this keeps it impossible.
  if (state.every((w) => w === 0)) state[0] = 1;
  return xoshiro128ssFromState(state);
}

/** A uniformly random permutation of 0..n−1 (Fisher–Yates, drawing from the end down). */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

/**
 * xoshiro128** started from an explicit state of four uint32 words (not all zero). `createRng` is
 * the way to get a generator; this exists so tests can compare against the reference C code.
 */
export function xoshiro128ssFromState(state: readonly [number, number, number, number]): Rng {
  let s0 = state[0] >>> 0;
  let s1 = state[1] >>> 0;
  let s2 = state[2] >>> 0;
  let s3 = state[3] >>> 0;
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const uniform = (): number => nextUint32() / 4294967296;
  return {
    nextUint32,
    uniform,
    normal: () => {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      const angle = 2 * Math.PI * uniform();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    int: (n) => {
      // Rejection sampling: draws at or above the largest multiple of n below 2^32 would favour small results.
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const v = nextUint32();
        if (v < limit) return v % n;
      }
    },
  };
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function partWords(part: StreamPart): number[] {
  return typeof part === 'number' ? numberWords(part) : stringWords(part);
}

function numberWords(x: number): number[] {
  // NOTE: -0 and 0 are the same seed; every other float (seeds above 2^32, fractions) keeps its own bits.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x === 0 ? 0 : x, true);
  return [view.getUint32(0, true), view.getUint32(4, true)];
}

function stringWords(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return [bytes.length, h];
}
