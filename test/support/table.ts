// Table-driven assertions for the unit tests that check a pure function on many inputs: each row
// is asserted on its own, with the input as the message so a failure names the row.
import * as assert from 'uvu/assert';

const label = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input));

/** For each row, `check(f(input), want(expected), input)`. */
const each =
  (check: (actual: unknown, expected: unknown, message: string) => void) =>
  <I, O>(f: (input: I) => unknown, rows: Iterable<readonly [I, O]>, want: (expected: O) => unknown = (expected) => expected): void => {
    for (const [input, expected] of rows) check(f(input), want(expected), label(input));
  };

/** `assert.is` (strict ===) on each row. */
export const isEach = each(assert.is);

/** `assert.equal` (deep equality) on each row. */
export const equalEach = each(assert.equal);

/** The same expected value for every input: rows for isEach/equalEach. */
export const allGive = <I, O>(inputs: Iterable<I>, expected: O): (readonly [I, O])[] =>
  [...inputs].map((input) => [input, expected] as const);
