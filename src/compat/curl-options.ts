// curl 7.88.1's command line as the originals use it (docs/behaviour.md §9, §6.7, D14): the
// `-m TIMEOUT` it reads (glibc's strtod, src/compat/strtod.ts) and the code `-w '%{http_code}'`
// prints. Checked against the real curl by test/differential/numbers.test.ts (TIMEOUT) and
// curl-response.test.ts (the code). Pure functions only.
import { strtod } from './strtod.ts';

/** curl's `-w '%{http_code}'`: at least three digits, zero-padded. */
export function httpCode(status: number): string {
  return String(status).padStart(3, '0');
}

/** curl 7.88's complaint about an `-m` value it refuses (the text after `curl: option -m: `). */
export type MaxTimeComplaint = 'too large number' | 'expected a proper numerical parameter' | 'expected a positive numerical parameter';

/** `-m` as curl reads it: the limit in whole milliseconds (0: none), or why curl refuses it. */
export type CurlMaxTime = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly complaint: MaxTimeComplaint };

const CURL_MAX_TIMEOUT = 2 ** 63 / 1000; // curl 7.88: (double)LONG_MAX / 1000 (LONG_MAX rounds up to 2^63 as a double)

/**
 * TIMEOUT as curl 7.88 reads `-m` (str2udouble, in this order): glibc strtod overflowing or
 * underflowing (ERANGE), or above LONG_MAX/1000 (`inf`), is `too large number`, even before a
 * tail; then strtod must have read all of the text (leading blanks, a sign, decimal or hex
 * digits, an exponent, `nan`); then a value below 0 is `expected a positive numerical
 * parameter` (`-0` is 0). curl then sets `(long)(timeout * 1000)` milliseconds. D14: the
 * programs refuse at start-up exactly what curl refuses here.
 */
export function curlMaxTime(text: string): CurlMaxTime {
  const { value, end, range } = strtod(text);
  if (range || value > CURL_MAX_TIMEOUT) return { ok: false, complaint: 'too large number' };
  if (end === 0 || end !== text.length) return { ok: false, complaint: 'expected a proper numerical parameter' };
  if (value < 0) return { ok: false, complaint: 'expected a positive numerical parameter' };
  // 0 ms is no limit; so are NaN (`-m nan`: curl 7.88 waits for ever) and a product no long holds.
  const ms = Math.trunc(value * 1000);
  return { ok: true, ms: ms > 0 && ms < 2 ** 63 ? ms : 0 };
}
