// jq 1.6's reading and printing as the originals' `jq -r` runs it (src/watcher/jsoncompat.ts),
// alone and through evaluate() where dash reads jq's output (docs/behaviour.md §9).
/* eslint-disable no-loss-of-precision -- the literals are read as doubles, as jq 1.6 reads them: that is what is tested */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate, splitCounts } from '../../../src/watcher/evaluate.ts';
import { decodeUtf8Jq, jqNumber, jqRawText, jqSummaryCounts, readJqValues } from '../../../src/watcher/jsoncompat.ts';

const ev = (code: string, body: string) => evaluate({ code, body: Buffer.from(body, 'utf8') });

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

test('jq 1.6 reader: leading zeros yes, values before a parse error kept, deep nesting bounded', () => {
  const read = (text: string) => readJqValues(Buffer.from(text, 'utf8'));
  assert.equal(read('{"a":[000,-00,0012.50e1]}').values, [new Map([['a', [0, -0, 125]]])]);
  assert.equal(read('{"a":1} x'), { values: [new Map([['a', 1]])], parseError: true });
  assert.equal(read('{a:1}'), { values: [], parseError: true });
  assert.equal(read('\ufeff1 2'), { values: [1, 2], parseError: false });
  assert.is(read('['.repeat(100000) + ']'.repeat(100000)).parseError, true);
  assert.is(read('[0' + ',['.repeat(100000)).parseError, true);
  assert.is(read('['.repeat(256) + ']'.repeat(256)).parseError, false);
  assert.is(read('['.repeat(257) + ']'.repeat(257)).parseError, true);
  assert.is(ev('200', `{"status":{"summary":{"total":${'['.repeat(300)}${']'.repeat(300)},"ok":0}}}`).up, false);
});

test('jq 1.6 + dash rules of §9: BOM, garbage tail, string counts, empty counts, lost literal', () => {
  const counts = (text: string) => jqSummaryCounts(Buffer.from(text, 'utf8'));
  const sum = (t: string, o: string) => `{"status":{"summary":{"total":${t},"ok":${o}}}}`;
  assert.is(counts(`\ufeff${sum('2', '2')}`), '2 2');
  assert.is(counts(`${sum('2', '2')}<html>`), '2 2');
  assert.is(counts(`{"status":null} ${sum('1', '1')}`), 'null null\n1 1');
  assert.is(counts(sum('5', '"5\\n\\n"')), '5 5');
  assert.is(counts(sum('"a\\u0000b"', '1')), 'ab 1');
  assert.is(counts(sum('{"b":1,"1":2,"b":3}', '"\\u007f"')), '{"b":3,"1":2} \u007f');
  assert.is(counts(sum('NaN', '+1')), 'null 1');
  assert.is(counts('null}'), ''); // the literal is lost with the error right after it
  assert.is(counts('"x" null'), 'null null'); // a top-level string cannot be indexed: no output for it
  assert.is(counts(sum('"\\udc00"', '1')), '\ufffd 1');
  const e = ev('200', sum('3', '""'));
  assert.equal([e.up, e.good, e.total, e.shellErrors], [false, '', '3', ['[: Illegal number: ']]);
  assert.equal(splitCounts('a'), { total: 'a', good: 'a' });
  assert.equal(splitCounts(' 5 5'), { total: '', good: '5 5' });
});

test('jq 1.6 UTF-8 repair: one U+FFFD per bad sequence as jvp_utf8_next reads it', () => {
  const fix = (bytes: number[]) => decodeUtf8Jq(Buffer.from(bytes));
  assert.is(fix([0xe2, 0x82]), '\ufffd');
  assert.is(fix([0xc0, 0xaf]), '\ufffd\ufffd');
  assert.is(fix([0xed, 0xa0, 0x80]), '\ufffd');
  assert.is(fix([0xf4, 0x90, 0x80, 0x80]), '\ufffd');
  assert.is(fix([0x80, 0x80, 0x78]), '\ufffd\ufffdx');
  assert.is(fix([0xf0, 0x9f, 0x98, 0x80]), '\u{1f600}');
});

test.run();
