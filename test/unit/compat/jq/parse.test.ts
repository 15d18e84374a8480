// jq 1.6's reading of a body (src/compat/jq/parse.ts), alone and through evaluate() (docs/behaviour.md §9).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate } from '../../../../src/watcher/evaluate.ts';
import { decodeUtf8Jq, readJqValues } from '../../../../src/compat/jq/parse.ts';

const ev = (code: string, body: string) => evaluate({ code, body: Buffer.from(body, 'utf8') });

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
