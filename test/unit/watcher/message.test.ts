import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatMessage, formatState, peerUrl } from '../../../src/watcher/message.ts';

const ev = (code: string, body: string) => evaluate({ code, body: Buffer.from(body, 'utf8') });
const legacyBody = (checks: string[], total: number, ok: number) =>
  `{"status":{"checks":[${checks.join(',')}],"summary":{"total":${total},"ok":${ok}}},"disk":{"volumes":[]}}`;
const check = (url: string, code: string, ok: boolean) => `{"url":"${url}","code":${code},"time_s":0,"ok":${ok}}`;
import { evaluate } from '../../../src/watcher/evaluate.ts';

test('message and state: prefixes, failures after an em dash', () => {
  const up = { up: true, good: '0', total: '0', failures: [], shellErrors: [] };
  assert.is(formatMessage('http://127.0.0.2:5988', up), 'OK  : http://127.0.0.2:5988 [0/0]');
  assert.is(formatState(up, '200'), 'up:0/0:200');
  const down = { up: false, good: '1', total: '3', failures: ['http://b(404)', 'http://c(000)'], shellErrors: [] };
  assert.is(formatMessage('http://127.0.0.5:5988', down), 'FAIL: http://127.0.0.5:5988 [1/3] \u2014 http://b(404) http://c(000)');
  assert.is(formatState(down, '200'), 'down:1/3:200');
});

test('peer URLs: IPv4 as is, IPv6 bracketed (D7)', () => {
  assert.is(peerUrl('http', '127.0.0.2', '5988'), 'http://127.0.0.2:5988');
  assert.is(peerUrl('https', '2001:db8::1', '5988'), 'https://[2001:db8::1]:5988');
});

test('no URLS: up 0/0 (contract example)', () => {
  const e = ev('200', legacyBody([], 0, 0));
  assert.is(formatMessage('http://127.0.0.2:5988', e), 'OK  : http://127.0.0.2:5988 [0/0]');
  assert.is(formatState(e, '200'), 'up:0/0:200');
});

test('401 and 000: down 0/0, nothing read from the body', () => {
  const e = ev('401', '{"error":"unauthorized"}');
  assert.is(formatMessage('http://x:1', e), 'FAIL: http://x:1 [0/0]');
  assert.is(formatState(e, '401'), 'down:0/0:401');
  assert.is(formatState(ev('000', ''), '000'), 'down:0/0:000');
});

test('all checks ok: up, no list', () => {
  const e = ev('200', legacyBody([check('a', '200', true), check('b', '301', true)], 2, 2));
  assert.is(formatMessage('p', e), 'OK  : p [2/2]');
});

test.run();
