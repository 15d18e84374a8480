import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonResponse } from '../../src/http/response.ts';
import { formatSeconds, statusBody, checkBudgetMs, CHECK_CAP_MS, isOk, checkLogMessage } from '../../src/status.ts';
import { formatLogLine } from '../../src/log.ts';

test('status with no URLS: Content-Length 42 (contract example)', () => {
  const body = statusBody([], []);
  assert.is(body, '{"checks":[],"summary":{"total":0,"ok":0}}');
  assert.ok(jsonResponse(body).toString().includes('Content-Length: 42\r\n'));
});

test('status body: D1 failed code is 0, D15 URL escaped', () => {
  const body = statusBody(
    ['http://a/', 'http://b/"x\\', 'http://127.0.0.1:1/x'],
    [
      { code: '200', time: '0.001741' },
      { code: '302', time: '0.000100' },
      { code: '000', time: '0' },
    ],
  );
  assert.is(
    body,
    '{"checks":[{"url":"http://a/","code":200,"time_s":0.001741,"ok":true},' +
      '{"url":"http://b/\\"x\\\\","code":302,"time_s":0.000100,"ok":true},' +
      '{"url":"http://127.0.0.1:1/x","code":0,"time_s":0,"ok":false}],"summary":{"total":3,"ok":2}}',
  );
  assert.not.throws(() => JSON.parse(body));
});

test('time_s like curl: six decimals', () => {
  assert.is(formatSeconds(1_741_000n), '0.001741');
  assert.is(formatSeconds(2_000_123_999n), '2.000123');
  assert.is(formatSeconds(0n), '0.000000');
});

test('ok when the code begins with 2 or 3', () => {
  assert.ok(isOk('200') && isOk('301') && !isOk('404') && !isOk('000') && !isOk('500'));
});

test('D11: every check bounded below the 5 s idle limit', () => {
  assert.is(checkBudgetMs(2000), 2000);
  assert.is(checkBudgetMs(5000), CHECK_CAP_MS);
  assert.is(checkBudgetMs(0), CHECK_CAP_MS);
  assert.ok(CHECK_CAP_MS < 5000);
});

test('status log line: URL escapes are interpreted like the originals', () => {
  const line = formatLogLine('info', checkLogMessage('http://h/a\\nb', { code: '000', time: '0' }));
  assert.is(line.toString('latin1'), '\x1b[32mhttp://h/a\nb -> 000\x1b[0m\n');
});

test('a URL holding a byte that is not UTF-8: the raw byte in the body (src/bytes.ts), as the originals write it', () => {
  const body = jsonResponse(statusBody(['http://h/p\udce4'], [{ code: '200', time: '0.000100' }]));
  assert.ok(body.includes(Buffer.from('{"url":"http://h/p\xe4","code":200', 'latin1')));
  assert.ok(body.includes(Buffer.from('Content-Length: 102\r\n')));
});

test.run();
