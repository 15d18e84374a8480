// coreutils 9.1's `sleep` reading its one argument (D14, docs/behaviour.md §6.7): the watcher's
// originals run `sleep "$POLLING_INTERVAL_SEC"` between rounds, so the port refuses at start-up
// what sleep refuses and waits what it waits. Checked against the real sleep by
// test/differential/numbers.test.ts (POLLING_INTERVAL_SEC). Pure.
import { strtod } from './strtod.ts';

/**
 * `sleep ARG` as coreutils 9.1 reads its one argument (the originals run `sleep
 * "$POLLING_INTERVAL_SEC"`, quoted: one argument, never several summed): the seconds it
 * sleeps (Infinity: for ever), or undefined when it refuses the text. A text starting with `-`
 * goes to sleep's getopt: `--` alone ends the options and sleep exits at once (0 s); any other
 * is refused (`-1`: invalid option; `-` alone is no number), and so are `--help`, `--version`
 * and their abbreviations, which print sleep's texts instead of sleeping (D14). Otherwise
 * strtod must read a number (an overflow sleeps for ever, an underflow not at all), not NaN
 * nor below 0 (` -0` is 0), followed by at most one of the suffixes `s`, `m`, `h`, `d`.
 */
export function sleepSeconds(text: string): number | undefined {
  if (text === '--') return 0;
  if (text.startsWith('-')) return undefined;
  const { value, end } = strtod(text);
  if (end === 0 || !(value >= 0)) return undefined;
  const multiplier = SLEEP_SUFFIXES.get(text.slice(end));
  return multiplier === undefined ? undefined : value * multiplier;
}

const SLEEP_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['s', 1],
  ['m', 60],
  ['h', 60 * 60],
  ['d', 60 * 60 * 24],
]);
