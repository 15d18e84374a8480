// Node's timers: the longest wait one setTimeout holds, and a sleep that outlasts it.

/** Node's timers hold at most 2^31-1 ms (a longer one fires at once, with a warning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms` milliseconds, however long: waits past MAX_TIMER_MS are chained. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    let left = ms;
    const arm = (): void => {
      const step = Math.min(left, MAX_TIMER_MS);
      left -= step;
      setTimeout(() => (left > 0 ? arm() : resolve()), step);
    };
    arm();
  });
}
