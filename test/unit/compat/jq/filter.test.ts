// jq 1.6's filter `.status.summary | "\(.total) \(.ok)"` under dash's `$(...)` (src/compat/jq/filter.ts),
// alone and through evaluate() where dash reads jq's output (docs/behaviour.md §9).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate, splitCounts } from '../../../../src/watcher/evaluate.ts';
import { jqSummaryCounts } from '../../../../src/compat/jq/filter.ts';
import { readJqValues } from '../../../../src/compat/jq/parse.ts';

const ev = (code: string, body: string) => evaluate({ code, body: Buffer.from(body, 'utf8') });

test('jq 1.6 + dash rules of §9: BOM, garbage tail, string counts, empty counts, lost literal', () => {
  const counts = (text: string) => jqSummaryCounts(readJqValues(Buffer.from(text, 'utf8')).values);
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

test.run();
