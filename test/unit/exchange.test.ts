import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answer, routeOf, type ExchangeIo } from '../../src/exchange.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import type { AuthState } from '../../src/auth.ts';
import type { GlobFs } from '../../src/glob.ts';

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

test('URLS words through pathname expansion on every request, from the cwd (§4.7, §9): checked, logged and reported expanded', async () => {
  const names = ['b.test', 'a.test'];
  const cwd: GlobFs = { list: async (dir) => (dir === '.' ? [...names] : null), exists: async () => true };
  let checked: string[] = [];
  const target = io(
    { kind: 'open' },
    {
      urls: ['*.test', 'http://h/q?x'],
      globFs: cwd,
      checks: async (urls) => {
        checked = [...urls];
        return urls.map(() => ({ code: '200', time: '0.000001' }));
      },
    },
  );
  const response = await answer(request('GET /status HTTP/1.1\n\n'), target);
  assert.equal(checked, ['a.test', 'b.test', 'http://h/q?x']);
  assert.match(response?.toString() ?? '', /"url":"a.test".*"url":"b.test".*"url":"http:\/\/h\/q\?x".*"total":3,/);
  assert.is(target.errors.join('').split('\n').length - 1, 3);
  names.push('c.test');
  await answer(request('GET / HTTP/1.1\n\n'), target);
  assert.equal(checked, ['a.test', 'b.test', 'c.test', 'http://h/q?x']);
});

test('routing by prefix, case-sensitive', () => {
  assert.is(routeOf('GET / HTTP/1.1\r'), 'summary');
  assert.is(routeOf('GET /status HTTP/1.1'), 'status');
  assert.is(routeOf('GET /disk HTTP/1.1\r'), 'disk');
  for (const line of [
    'GET /status?x HTTP/1.1',
    'HEAD / HTTP/1.1',
    'GET /',
    'GET /status',
    'get / HTTP/1.1',
    'GET /Disk HTTP/1.1',
    'GET /x HTTP/1.1',
  ]) {
    assert.is(routeOf(line), 'not-found', line);
  }
});

test.run();
