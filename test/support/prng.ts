// The one seeded PRNG of the tests (mulberry32): the differential tests, the probe's fuzz test
// and the environment-value test feed the same generated inputs on every run, so a difference
// found once can be replayed from its seed.

/** mulberry32, a tiny 32-bit PRNG: the same seed gives the same draws. Every method draws once (join: once a piece). */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** `count` picks from `pieces`, joined: a string built from chosen fragments. */
  join(pieces: readonly string[], count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += this.pick(pieces);
    return out;
  }
}
