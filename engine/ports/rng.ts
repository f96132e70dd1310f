/** A source of randomness the engine may draw from; seeded in tests. */
export interface Rng {
  /** A uniformly random integer in [0, 2^32). */
  nextUint32(): number;
}

/**
 * A small seeded PRNG (xoshiro128**). Deterministic across platforms, so
 * every simulated run replays from its seed.
 */
export class SeededRng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the four state words
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A random integer in [0, n) from `rng`. */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor((rng.nextUint32() / 0x1_0000_0000) * n);
}

/** A random float in [0, 1) from `rng`. */
export function randomFloat(rng: Rng): number {
  return rng.nextUint32() / 0x1_0000_0000;
}
