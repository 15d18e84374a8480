// jq 1.6's printing of values (docs/behaviour.md §6.6b, §9): `jq -r`'s output, the compact form
// string interpolation `"\(.x)"` pastes, jvp_dump_string's escapes and jvp_dtoa_fmt's
// numbers. Checked against jq 1.6 by test/differential/jq-summary.test.ts (the counts and the
// D4 failure list). Pure.
import type { JqValue } from './parse.ts';

/** What jq's string interpolation `"\(.x)"` makes of a value: strings raw, the rest compact JSON. */
export function jqInterpolate(value: JqValue): string {
  return typeof value === 'string' ? value : jqCompact(value);
}

/** What `jq -r` prints for a value (one output, without the trailing newline). */
export function jqRawText(value: JqValue | undefined): string {
  if (value === undefined) return 'null';
  return typeof value === 'string' ? value : jqPretty(value, '');
}

function jqCompact(value: JqValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return jqString(value);
  if (typeof value === 'number') return jqNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jqCompact).join(',')}]`;
  return `{${[...value].map(([k, v]) => `${jqString(k)}:${jqCompact(v)}`).join(',')}}`;
}

/** jq's jvp_dump_string: `"` `\` and control characters escaped, DEL as \u007f, the rest as is. */
function jqString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * jq 1.6's number format (jvp_dtoa_fmt): the shortest digits that read back to the same
 * double; exponential when the decimal point is 4+ places left of them or more than 15 places
 * right of their end (`1e+16`, `1e-05`, but `300000`, `123456789012345680000`); exponent with
 * a sign and at least two digits. NaN prints as null, infinities as ±DBL_MAX.
 */
export function jqNumber(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (Number.isNaN(n)) return 'null';
  if (!Number.isFinite(n)) return n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
  const sign = n < 0 ? '-' : '';
  const [mantissa = '0', exp = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1;
  if (decpt <= -4 || decpt > digits.length + 15) {
    const e = decpt - 1;
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function jqPretty(value: JqValue, indent: string): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? jqString(value) : jqCompact(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + jqPretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value.size === 0) return '{}';
  return `{\n${[...value].map(([k, v]) => `${inner}${jqString(k)}: ${jqPretty(v, inner)}`).join(',\n')}\n${indent}}`;
}
