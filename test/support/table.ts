// Table-driven assertions for the unit tests that check a pure function on many inputs: each row
// is asserted on its own, with the input as the message so a failure names the row.
import * as assert from 'uvu/assert';

const label = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input));

/** `assert.is(f(input), want(expected), input)` (strict ===) for each row. */
export function isEach<I, O>(
  f: (input: I) => unknown,
  rows: Iterable<readonly [I, O]>,
  want: (expected: O) => unknown = (expected) => expected,
): void {
  for (const [input, expected] of rows) assert.is(f(input), want(expected), label(input));
}

/** `assert.equal(f(input), want(expected), input)` (deep equality) for each row. */
export function equalEach<I, O>(
  f: (input: I) => unknown,
  rows: Iterable<readonly [I, O]>,
  want: (expected: O) => unknown = (expected) => expected,
): void {
  for (const [input, expected] of rows) assert.equal(f(input), want(expected), label(input));
}

/** The same expected value for every input: rows for isEach/equalEach. */
export const allGive = <I, O>(inputs: Iterable<I>, expected: O): (readonly [I, O])[] =>
  [...inputs].map((input) => [input, expected] as const);
