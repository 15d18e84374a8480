// The one seeded PRNG of the tests (mulberry32): the differential tests, the probe's fuzz test
// and the environment-value test feed the same generated inputs on every run, so a difference
// found once can be replayed from its seed.

/** mulberry32: a tiny 32-bit PRNG; the same seed gives the same floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
