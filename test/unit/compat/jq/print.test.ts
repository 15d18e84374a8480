// jq 1.6's printing of values (src/compat/jq/print.ts): `jq -r` and its number format.
/* eslint-disable no-loss-of-precision -- the literals are read as doubles, as jq 1.6 reads them: that is what is tested */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jqNumber, jqRawText } from '../../../../src/compat/jq/print.ts';

test('jqRawText: what jq 1.6 -r prints', () => {
  assert.is(jqRawText(null), 'null');
  assert.is(jqRawText(1.5), '1.5');
  assert.is(jqRawText(100), '100');
  assert.is(jqRawText(1e20), '1e+20');
  assert.is(jqRawText(-0), '-0');
  assert.is(jqRawText(new Map([['a', 1]])), '{\n  "a": 1\n}');
  assert.is(jqRawText([1, 2]), '[\n  1,\n  2\n]');
});

test("jqNumber: jq 1.6's formats (checked against jq 1.6)", () => {
  const cases: Array<[number, string]> = [
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e17, '1e+17'],
    [1e16, '1e+16'],
    [123456789012345678901, '123456789012345680000'],
    [1.5e300, '1.5e+300'],
    [12345678901234567890123456789, '12345678901234568000000000000'],
    [1.25e-7, '1.25e-07'],
    [3e5, '300000'],
    [0.1, '0.1'],
    [1e-100, '1e-100'],
    [-1e20, '-1e+20'],
    [9007199254740993, '9007199254740992'],
    [Infinity, '1.7976931348623157e+308'],
    [1.5, '1.5'],
    [-0.25, '-0.25'],
  ];
  for (const [n, text] of cases) assert.is(jqNumber(n), text, String(n));
});

test.run();
