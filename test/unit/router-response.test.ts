import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResponse, jsonResponse, notFoundResponse, unauthorizedResponse } from '../../src/http/response.ts';
import { answer, type ExchangeIo } from '../../src/exchange.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import { formatSeconds, statusBody, checkBudgetMs, CHECK_CAP_MS, isOk } from '../../src/status.ts';
import { readUrl as checkTarget, hasCurlGlob, removeDotSegments } from '../../src/curl.ts';
import type { AuthState } from '../../src/auth.ts';

test('401 form, byte for byte', () => {
  assert.is(
    unauthorizedResponse().toString('latin1'),
    'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 24\r\n' +
      'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\nConnection: close\r\n\r\n{"error":"unauthorized"}',
  );
});

test('404 form', () => {
  assert.is(
    notFoundResponse().toString('latin1'),
    'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot found\n',
  );
});

test('Content-Length counts bytes, not characters', () => {
  const response = formatResponse('200 OK', 'application/json', '{"mount":"/mnt/è"}');
  assert.ok(response.toString('latin1').includes('Content-Length: 19\r\n'));
});

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

test('check targets like curl: raw path, no scheme = http, fragment dropped, globs fail', () => {
  assert.equal(checkTarget('http://127.0.0.2:8080/a\\tb"c'), { https: false, hostname: '127.0.0.2', port: 8080, path: '/a\\tb"c' });
  assert.equal(checkTarget('h:81/x?y#z'), { https: false, hostname: 'h', port: 81, path: '/x?y' });
  assert.equal(checkTarget('https://[::1]/'), { https: true, hostname: '::1', port: 443, path: '/' });
  assert.equal(checkTarget('http://h/a/../b/./c'), { https: false, hostname: 'h', port: 80, path: '/b/c' });
  assert.ok('refused' in checkTarget('ftp://h/'));
  assert.ok('refused' in checkTarget('http://h/\\033[0mz'));
  assert.ok(hasCurlGlob('http://h/{a,b}') && hasCurlGlob('http://h/[1-3]') && !hasCurlGlob('http://[::1]:80/x'));
  assert.is(removeDotSegments('/a/b/../../c/.'), '/c/');
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
  assert.is(checkBudgetMs(2), 2000);
  assert.is(checkBudgetMs(5), CHECK_CAP_MS);
  assert.is(checkBudgetMs(0), CHECK_CAP_MS);
  assert.ok(CHECK_CAP_MS < 5000);
});

function io(auth: AuthState, extra: Partial<ExchangeIo> = {}): ExchangeIo & { errors: string[] } {
  const errors: string[] = [];
  return {
    urls: [],
    auth: async () => auth,
    checks: async (urls) => urls.map(() => ({ code: '200', time: '0.000001' })),
    disk: async () => ({ rows: [], errors: [] }),
    stderr: (bytes) => errors.push(bytes.toString('latin1')),
    authUnavailable: (message) => errors.push(message),
    errors,
    ...extra,
  };
}

const request = (text: string) => parseRequestHead(text);

test('auth: tokens present, wrong or missing token -> 401 whatever the path', async () => {
  const state: AuthState = { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] };
  for (const path of ['/', '/nope', '/status']) {
    const response = await answer(request(`GET ${path} HTTP/1.1\r\n\r\n`), io(state));
    assert.ok(response?.toString().startsWith('HTTP/1.1 401 '), path);
  }
  const ok = await answer(request('GET /status HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n'), io(state));
  assert.ok(ok?.toString().startsWith('HTTP/1.1 200 OK'));
});

test('D8: closed auth refuses everyone and reports the file', async () => {
  const state: AuthState = { kind: 'closed', message: 'cannot read AUTH_FILE /x' };
  const target = io(state);
  const response = await answer(request('GET / HTTP/1.1\r\nAuthorization: Basic \r\n\r\n'), target);
  assert.ok(response?.toString().startsWith('HTTP/1.1 401 '));
  assert.equal(target.errors, ['cannot read AUTH_FILE /x']);
});

test('no request: no answer; summary joins status and disk', async () => {
  assert.is(await answer({ kind: 'no-request' }, io({ kind: 'open' })), null);
  const response = await answer(request('GET / HTTP/1.1\n\n'), io({ kind: 'open' }));
  assert.ok(response?.toString().endsWith('{"status":{"checks":[],"summary":{"total":0,"ok":0}},"disk":{"volumes":[]}}'));
});

test('status log lines in URLS order, through log (escapes interpreted), in one write', async () => {
  const target = io(
    { kind: 'open' },
    {
      urls: ['http://b/\\t', 'http://a/'],
      checks: async () => [
        { code: '000', time: '0' },
        { code: '200', time: '0.000002' },
      ],
    },
  );
  await answer(request('GET /status HTTP/1.1\n\n'), target);
  assert.equal(target.errors, ['\x1b[32mhttp://b/\t -> 000\x1b[0m\n\x1b[32mhttp://a/ -> 200\x1b[0m\n']);
});

test.run();
