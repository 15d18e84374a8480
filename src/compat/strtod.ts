// glibc 2.36's strtod (D14, docs/behaviour.md §9): how the originals' C tools read a number,
// under curl 7.88's `-m` (src/compat/curl-options.ts) and coreutils 9.1's `sleep`
// (src/compat/coreutils-sleep.ts). Pure: the port refuses at start-up exactly the texts these
// tools refuse, and reads every other one to the value the tool uses. Checked against the real
// tools by test/differential/numbers.test.ts (TIMEOUT and POLLING_INTERVAL_SEC).

/** What glibc's strtod makes of the start of a text (the C locale: `.` is the decimal point). */
export interface Strtod {
  /** The double strtod returns: ±Infinity on overflow, ±0 or a subnormal on underflow, NaN for `nan`. */
  readonly value: number;
  /** How many characters it read (`endptr - nptr`); 0 when no number starts the text (value 0). */
  readonly end: number;
  /** errno is ERANGE: the value overflowed, or is tiny and inexact (underflow). */
  readonly range: boolean;
}

/**
 * strtod's grammar: C-locale blanks, a sign, then `inf`/`infinity`, `nan` with an optional
 * `(n-char-sequence)`, hex digits after `0x` with an optional `.` and binary exponent, or
 * decimal digits with an optional `.` and exponent. An exponent without digits is not read;
 * `0x` without a hex digit is the number `0` followed by `x`.
 */
const NUMBER =
  /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan)(?:\([0-9a-z_]*\))?|0x(?=\.?[0-9a-f])([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?|(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?)/i;

/** glibc strtod on `text` (pure; exact, rounded to nearest even as glibc rounds). */
export function strtod(text: string): Strtod {
  const m = NUMBER.exec(text);
  if (!m) return { value: 0, end: 0, range: false };
  const [read, sign, inf, nan, hexInt, hexFrac, hexExp, decInt, decFrac, decExp] = m;
  const negative = sign === '-';
  let magnitude: { value: number; range: boolean };
  if (inf !== undefined) magnitude = { value: Infinity, range: false };
  else if (nan !== undefined) magnitude = { value: NaN, range: false };
  else if (hexInt !== undefined) {
    const frac = hexFrac ?? '';
    const e2 = BigInt(hexExp ?? 0) - BigInt(4 * frac.length);
    magnitude = nearestDouble(BigInt(`0x0${hexInt}${frac}`), e2, 0n);
  } else {
    const frac = decFrac ?? '';
    const e10 = BigInt(decExp ?? 0) - BigInt(frac.length);
    magnitude = nearestDouble(BigInt(`0${decInt ?? ''}${frac}`), e10, e10);
  }
  return { value: negative ? -magnitude.value : magnitude.value, end: read.length, range: magnitude.range };
}

const MANTISSA_BITS = 53;
const MIN_EXPONENT = -1022; // of a normal double: 2^-1022 is DBL_MIN
const LOG2_5 = Math.log2(5);

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** num/den rounded to an integer, halves to even. */
function roundHalfEven(num: bigint, den: bigint): { q: bigint; exact: boolean } {
  const q = num / den;
  const twice = (num % den) * 2n;
  const up = twice > den || (twice === den && q % 2n === 1n);
  return { q: up ? q + 1n : q, exact: twice === 0n };
}

/** (num/den) / 2^unit rounded to an integer, halves to even. */
function roundAt(num: bigint, den: bigint, unit: number): { q: bigint; exact: boolean } {
  return unit >= 0 ? roundHalfEven(num, den << BigInt(unit)) : roundHalfEven(num << BigInt(-unit), den);
}

/**
 * The double nearest to mantissa × 2^e2 × 5^e5 (mantissa ≥ 0), and whether strtod sets ERANGE:
 * on overflow, and when the result is tiny (below DBL_MIN once rounded to 53 bits, x86's
 * tininess after rounding) and not exact.
 */
function nearestDouble(mantissa: bigint, e2: bigint, e5: bigint): { value: number; range: boolean } {
  if (mantissa === 0n) return { value: 0, range: false };
  // The exponents may be any number of digits: decide the far ends before exact arithmetic.
  const log2 = bitLength(mantissa) + Number(e2) + Number(e5) * LOG2_5;
  if (log2 > 1030) return { value: Infinity, range: true };
  if (log2 < -1080) return { value: 0, range: true };
  const num = mantissa * 2n ** (e2 > 0n ? e2 : 0n) * 5n ** (e5 > 0n ? e5 : 0n);
  const den = 2n ** (e2 < 0n ? -e2 : 0n) * 5n ** (e5 < 0n ? -e5 : 0n);
  // k: 2^k <= num/den < 2^(k+1).
  let k = bitLength(num) - bitLength(den);
  if (k >= 0 ? num < den << BigInt(k) : num << BigInt(-k) < den) k -= 1;
  let tiny = false;
  if (k < MIN_EXPONENT) {
    const unbounded = roundAt(num, den, k - (MANTISSA_BITS - 1));
    tiny = unbounded.q < 1n << BigInt(MANTISSA_BITS) || k + 1 < MIN_EXPONENT;
  }
  const unit = Math.max(k, MIN_EXPONENT) - (MANTISSA_BITS - 1);
  const { q, exact } = roundAt(num, den, unit);
  const value = Number(q) * 2 ** unit;
  return { value, range: value === Infinity || (tiny && !exact) };
}
