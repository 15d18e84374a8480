import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonResponse } from '../../src/http/response.ts';
import {
  formatSeconds,
  statusBody,
  checkBudgetMs,
  CHECK_CAP_MS,
  isOk,
  checkLogMessage,
  certExpiry,
  formatCertDays,
  statusChecks,
} from '../../src/status.ts';
import { formatLogLine } from '../../src/log.ts';
import { evaluate } from '../../src/watcher/evaluate.ts';

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

// ---- CERT_DAYS (docs/behaviour.md §10)

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');

test('CERT_DAYS unset: a check that read a certificate is written as the originals write it', () => {
  const results = [{ code: '200', time: '0.001000', certExpiresMs: NOW + 1 * DAY }];
  assert.is(statusBody(['https://a/'], results), statusBody(['https://a/'], [{ code: '200', time: '0.001000' }]));
  assert.is(
    statusBody(['https://a/'], results),
    '{"checks":[{"url":"https://a/","code":200,"time_s":0.001000,"ok":true}],"summary":{"total":1,"ok":1}}',
  );
});

test('CERT_DAYS: expiring within n days is not ok; cert_days (one decimal, rounded down) on every check that read a certificate', () => {
  const urls = ['https://soon/', 'https://later/', 'http://plain/', 'https://refused/', 'https://edge/'];
  const results = [
    { code: '200', time: '0.001000', certExpiresMs: NOW + 1 * DAY - 60_000 },
    { code: '200', time: '0.002000', certExpiresMs: NOW + 90 * DAY },
    { code: '200', time: '0.000500' },
    { code: '000', time: '0' },
    { code: '301', time: '0.000700', certExpiresMs: NOW + 30 * DAY },
  ];
  const body = statusBody(urls, results, { days: 30, nowMs: NOW });
  assert.is(
    body,
    '{"checks":[{"url":"https://soon/","code":200,"time_s":0.001000,"ok":false,"cert_days":0.9},' +
      '{"url":"https://later/","code":200,"time_s":0.002000,"ok":true,"cert_days":90.0},' +
      '{"url":"http://plain/","code":200,"time_s":0.000500,"ok":true},' +
      '{"url":"https://refused/","code":0,"time_s":0,"ok":false},' +
      '{"url":"https://edge/","code":301,"time_s":0.000700,"ok":false,"cert_days":30.0}],"summary":{"total":5,"ok":2}}',
  );
  assert.not.throws(() => JSON.parse(body));
  // One millisecond more than 30 days left: ok. CERT_DAYS=0 reports the days and fails nothing.
  assert.ok(
    statusChecks(['https://x/'], [{ code: '200', time: '0.1', certExpiresMs: NOW + 30 * DAY + 1 }], { days: 30, nowMs: NOW })[0]?.ok,
  );
  const zero = statusChecks(urls, results, { days: 0, nowMs: NOW });
  assert.equal(
    zero.map((c) => [c.ok, c.certDays]),
    [
      [true, '0.9'],
      [true, '90.0'],
      [true, undefined],
      [false, undefined],
      [true, '30.0'],
    ],
  );
  assert.equal(
    statusChecks(urls, results, { days: 30, nowMs: NOW }).map((c) => c.certExpiring),
    [true, false, false, false, true],
  );
});

test('CERT_DAYS: a failed check that read a certificate carries its days and stays a failure, not a certificate one', () => {
  const [check] = statusChecks(['https://a/'], [{ code: '000', time: '0', certExpiresMs: NOW + 2 * DAY }], { days: 30, nowMs: NOW });
  assert.equal(check, { url: 'https://a/', code: '000', time: '0', ok: false, certExpiring: false, certDays: '2.0' });
});

test('formatCertDays: tenths rounded down; certExpiry reads valid_to as node prints it', () => {
  assert.is(formatCertDays(NOW + 12.45 * DAY, NOW), '12.4');
  assert.is(formatCertDays(NOW + 12.4 * DAY, NOW), '12.4');
  assert.is(formatCertDays(NOW + DAY - 1, NOW), '0.9');
  assert.is(formatCertDays(NOW, NOW), '0.0');
  assert.is(formatCertDays(NOW - 1, NOW), '-0.1');
  assert.is(certExpiry('Mar  5 12:00:00 2026 GMT'), Date.parse('2026-03-05T12:00:00Z'));
  assert.is(certExpiry('Dec 31 23:59:59 9999 GMT'), Date.parse('9999-12-31T23:59:59Z'));
  assert.is(certExpiry(undefined), undefined);
  assert.is(certExpiry('not a date'), undefined);
});

test("D4: the watcher's failure list names a check failing for its certificate, and the peer is down", () => {
  const status = statusBody(
    ['https://soon.example/', 'https://later.example/'],
    [
      { code: '200', time: '0.001000', certExpiresMs: NOW + 1 * DAY },
      { code: '200', time: '0.001000', certExpiresMs: NOW + 90 * DAY },
    ],
    { days: 14, nowMs: NOW },
  );
  const evaluation = evaluate({ code: '200', body: Buffer.from(`{"status":${status},"disk":{"volumes":[]}}`) });
  assert.is(evaluation.up, false);
  assert.equal([evaluation.total, evaluation.good], ['2', '1']);
  assert.equal(evaluation.failures, ['https://soon.example/(200)']);
});

test.run();
