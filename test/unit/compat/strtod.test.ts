// src/compat/strtod.ts: glibc strtod (coreutils sleep's reading of its argument:
// coreutils-sleep.test.ts). The expected values were recorded from glibc 2.36 (through curl
// 7.88.1's `-m`) and coreutils 9.1's `sleep`; test/differential/numbers.test.ts compares
// hundreds more texts with the real tools.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { strtod } from '../../../src/compat/strtod.ts';

test('strtod: what it reads and the value', () => {
  for (const [text, value, end] of [
    ['2e0', 2, 3],
    [' \t\n\v\f\r+0x2', 2, 10],
    ['0x1p1', 2, 5],
    ['0X1P+1', 2, 6],
    ['0x.8', 0.5, 4],
    ['0x', 0, 1], // `0`, then `x`
    ['0x.p1', 0, 1],
    ['0x1p', 1, 3], // an exponent without digits is not read
    ['1e', 1, 1],
    ['1e+', 1, 1],
    ['2.e1', 20, 4],
    ['.5', 0.5, 2],
    ['2 ', 2, 1],
    ['1,5', 1, 1],
    ['007', 7, 3],
    ['-0', -0, 2],
    ['infinity', Infinity, 8],
    ['INFinit', Infinity, 3],
    ['-inf', -Infinity, 4],
    ['0.1', 0.1, 3],
    ['123456789012345678901234567890', 1.2345678901234568e29, 30],
    ['1.7976931348623157e308', 1.7976931348623157e308, 22],
    ['0x1p-1074', 5e-324, 9],
  ] as const) {
    const r = strtod(text);
    assert.ok(Object.is(r.value, value), `${JSON.stringify(text)}: ${r.value}`);
    assert.is(r.end, end, JSON.stringify(text));
    assert.is(r.range, false, JSON.stringify(text));
  }
  for (const text of ['', '.', '+', ' ', 'e1', '.e1', 'x', '+-1', 'i', 'in', 'na', '１'])
    assert.equal(strtod(text), { value: 0, end: 0, range: false }, text);
});

test('strtod: nan and its (n-char-sequence)', () => {
  for (const [text, end] of [
    ['nan', 3],
    ['-NaN', 4],
    ['nan()', 5],
    ['nan(abc_1)x', 10],
    ['nan(', 3], // no closing parenthesis: `nan` alone
    ['nan(a-b)', 3],
  ] as const) {
    const r = strtod(text);
    assert.ok(Number.isNaN(r.value), text);
    assert.is(r.end, end, text);
  }
});

test('strtod: ERANGE on overflow and on a tiny inexact value, not on an exact subnormal', () => {
  for (const [text, value] of [
    ['1e400', Infinity],
    ['1.7976931348623159e308', Infinity],
    ['0x1p1024', Infinity],
    ['-1e400', -Infinity],
    ['1e-400', 0],
    ['1e-99999999999999999999', 0],
    ['1e-310', 1e-310],
    ['4.9e-324', 5e-324],
    ['0x1p-1075', 0],
    ['0x1.8p-1074', 1e-323],
    ['0x1.0000000000001p-1030', 2 ** -1030],
    ['0x1.fffffffffffffp-1023', 2 ** -1022], // rounds up to DBL_MIN, but tiny at 53 bits
  ] as const) {
    const r = strtod(text);
    assert.ok(Object.is(r.value, value), `${text}: ${r.value}`);
    assert.is(r.range, true, text);
  }
  for (const text of ['0x1p-1030', '0x1p-1074', '0x1.fffffffffffff8p-1023', '0e999999', '0x1p1023', '2.2250738585072014e-308']) {
    assert.is(strtod(text).range, false, text);
  }
});

test.run();
