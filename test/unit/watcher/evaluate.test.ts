import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dashInteger, evaluate, failingChecks, INVALID_BODY_NOTE } from '../../../src/watcher/evaluate.ts';
import { readJqValues } from '../../../src/compat/jq/parse.ts';
import { formatMessage, formatState } from '../../../src/watcher/message.ts';

const ev = (code: string, body: string) => evaluate({ code, body: Buffer.from(body, 'utf8') });
const legacyBody = (checks: string[], total: number, ok: number) =>
  `{"status":{"checks":[${checks.join(',')}],"summary":{"total":${total},"ok":${ok}}},"disk":{"volumes":[]}}`;
const check = (url: string, code: string, ok: boolean) => `{"url":"${url}","code":${code},"time_s":0,"ok":${ok}}`;

test('D1 compat + D4: a legacy body with "code":000 is read; every failing check listed', () => {
  const body = legacyBody(
    [check('http://a/', '200', true), check('http://b/', '404', false), check('http://127.0.0.1:1/x', '000', false)],
    3,
    1,
  );
  assert.throws(() => JSON.parse(body));
  const e = ev('200', body);
  assert.is(e.up, false);
  assert.equal([e.good, e.total], ['1', '3']);
  assert.is(formatMessage('http://127.0.0.5:5988', e), 'FAIL: http://127.0.0.5:5988 [1/3] \u2014 http://b/(404) http://127.0.0.1:1/x(000)');
  assert.is(formatState(e, '200'), 'down:1/3:200');
});

test('D1: the port router may write 0 for a failed check: still listed as 000', () => {
  assert.equal(failingChecks(readJqValues(Buffer.from(legacyBody([check('u', '0', false)], 1, 0))).values[0]), ['u(000)']);
});

test('D9: a 200 that is not JSON is down with a note (originals: up [0/0])', () => {
  for (const body of ['hello', '', '<html>', '{"status":']) {
    const e = ev('200', body);
    assert.is(e.up, false, body);
    assert.is(formatMessage('p', e), `FAIL: p [0/0] \u2014 ${INVALID_BODY_NOTE}`);
    assert.is(formatState(e, '200'), 'down:0/0:200');
  }
  const cut = evaluate({ code: '200', body: Buffer.from(legacyBody([], 0, 0)), truncated: true });
  assert.is(cut.up, false);
});

test("JSON without .status: [null/null] and dash's Illegal number line, as the originals", () => {
  const e = ev('200', '{"hello":1}');
  assert.is(formatMessage('p', e), 'FAIL: p [null/null]');
  assert.is(formatState(e, '200'), 'down:null/null:200');
  assert.equal(e.shellErrors, ['[: Illegal number: null']);
});

test('jq -r texts and dash -eq: strings, floats, whitespace', () => {
  assert.is(ev('200', '{"status":{"summary":{"total":"3","ok":3}}}').up, true);
  // "\(.total) \(.ok)" is split at its first space: " 3 " makes total empty, as in the originals
  assert.equal(ev('200', '{"status":{"summary":{"total":" 3 ","ok":3}}}').shellErrors, ['[: Illegal number: ']);
  const f = ev('200', '{"status":{"summary":{"total":2.5,"ok":2}}}');
  assert.is(f.up, false);
  assert.equal(f.shellErrors, ['[: Illegal number: 2.5']);
  assert.is(ev('200', '{"status":{"summary":{"total":2.0,"ok":2}}}').up, true); // jq prints 2
  assert.is(ev('200', '{"status":{"summary":{"total":007,"ok":7}}}').up, true); // jq 1.6 reads 007
});

test('dashInteger: strtoimax rules', () => {
  assert.is(String(dashInteger('3')), '3');
  assert.is(String(dashInteger(' +3 ')), '3');
  assert.is(String(dashInteger('-0')), '0');
  assert.is(dashInteger(''), undefined);
  assert.is(dashInteger('null'), undefined);
  assert.is(dashInteger('0x10'), undefined);
  assert.is(dashInteger('99999999999999999999'), undefined);
});

test.run();
