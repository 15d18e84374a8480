import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answer, routeOf, type ExchangeIo } from '../../src/exchange.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import type { AuthState } from '../../src/auth.ts';
import type { GlobFs } from '../../src/compat/dash-glob.ts';
import { allGive, isEach } from '../support/table.ts';

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
  isEach(routeOf, [
    ['GET / HTTP/1.1\r', 'summary'],
    ['GET /status HTTP/1.1', 'status'],
    ['GET /disk HTTP/1.1\r', 'disk'],
  ]);
  isEach(
    routeOf,
    allGive(
      ['GET /status?x HTTP/1.1', 'HEAD / HTTP/1.1', 'GET /', 'GET /status', 'get / HTTP/1.1', 'GET /Disk HTTP/1.1', 'GET /x HTTP/1.1'],
      'not-found',
    ),
  );
});

// ---- STATUS_PAGE and CERT_DAYS (docs/behaviour.md §10)

test('routing: /ui only with STATUS_PAGE, by the same prefix rule', () => {
  assert.is(routeOf('GET /ui HTTP/1.1'), 'not-found');
  assert.is(routeOf('GET /ui HTTP/1.1', true), 'ui');
  for (const line of ['GET /ui/ HTTP/1.1', 'GET /ui?x HTTP/1.1', 'GET /UI HTTP/1.1', 'HEAD /ui HTTP/1.1', 'GET /ui']) {
    assert.is(routeOf(line, true), 'not-found', line);
  }
  assert.is(routeOf('GET / HTTP/1.1', true), 'summary');
});

test("STATUS_PAGE unset: /ui is the originals' 404; set: the page, its check and disk lines logged as for /", async () => {
  const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot found\n';
  for (const statusPage of [undefined, false]) {
    const response = await answer(request('GET /ui HTTP/1.1\r\n\r\n'), io({ kind: 'open' }, { statusPage, urls: ['http://a/'] }));
    assert.is(response?.toString('latin1'), NOT_FOUND);
  }
  const target = io(
    { kind: 'open' },
    {
      statusPage: true,
      urls: ['http://a/', 'http://b/'],
      checks: async () => [
        { code: '200', time: '0.000002' },
        { code: '000', time: '0' },
      ],
      disk: async () => ({
        rows: [{ mount: '/', sizeBlocks: 100n, used: 50n, avail: 50n, capacity: '50%' }],
        errors: ['df: /x: No such file or directory'],
      }),
      nodeName: () => 'node-<a>',
      now: () => Date.parse('2026-03-01T12:00:00Z'),
    },
  );
  const response = (await answer(request('GET /ui HTTP/1.1\r\n\r\n'), target))?.toString('utf8') ?? '';
  const [head, body] = response.split('\r\n\r\n') as [string, string];
  assert.is(
    head,
    `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close`,
  );
  assert.match(body, /<title>FAILING · node-&lt;a&gt; · sentinèlla<\/title>/);
  assert.match(body, /<tr class="check ok" data-ok="true">.*http:\/\/a\//);
  assert.match(body, /<tr class="check failing" data-ok="false">.*http:\/\/b\//);
  assert.match(body, /<td class="url">\/<\/td>/);
  assert.match(body, /2026-03-01 12:00:00 UTC/);
  assert.equal(target.errors, ['\x1b[32mhttp://a/ -> 200\x1b[0m\n\x1b[32mhttp://b/ -> 000\x1b[0m\ndf: /x: No such file or directory\n']);
});

test('STATUS_PAGE with VIEW_FILE: the mesh as the watcher sees it; without a view (or an unreadable one), no mesh section', async () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const written = JSON.stringify({
    sentinella_view: 1,
    node: '10.0.0.1',
    at: now / 1000 - 2,
    round_s: 3,
    peers: { '10.0.0.3': { up: false, state: 'down:0/0:000', since: now / 1000 - 30, announced: true } },
    heard: { '10.0.0.2': { at: now / 1000 - 4, up: { '10.0.0.3': false } } },
  });
  const page = async (view: Buffer | null): Promise<string> =>
    (
      await answer(request('GET /ui HTTP/1.1\r\n\r\n'), io({ kind: 'open' }, { statusPage: true, now: () => now, view: async () => view }))
    )?.toString('utf8') ?? '';
  const body = await page(Buffer.from(written));
  assert.match(body, /<section id="mesh"><h2>Mesh <span class="muted">0 of 1 peers up<\/span><\/h2>/);
  assert.match(body, /<td class="url">10\.0\.0\.3<\/td><td>2026-03-01T11:59:30\.000Z<\/td><td class="seen failing">down<\/td><\/tr>/);
  assert.match(body, /<title>FAILING /);
  assert.not.match(await page(null), /id="mesh"/);
  assert.not.match(await page(Buffer.from('{')), /id="mesh"/);
});

test('STATUS_PAGE behind AUTH_FILE: 401 without the token, the page with it', async () => {
  const state: AuthState = { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] };
  const refused = await answer(request('GET /ui HTTP/1.1\r\n\r\n'), io(state, { statusPage: true }));
  assert.ok(refused?.toString().startsWith('HTTP/1.1 401 Unauthorized\r\n'));
  const served = await answer(request('GET /ui HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n'), io(state, { statusPage: true }));
  assert.match(served?.toString() ?? '', /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/html; charset=utf-8\r\n[^]*<!DOCTYPE html>/);
});

test('CERT_DAYS through the exchange: /status and / carry cert_days and count the expiring check as failing', async () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const extra: Partial<ExchangeIo> = {
    urls: ['https://soon/', 'https://later/'],
    checks: async () => [
      { code: '200', time: '0.000002', certExpiresMs: now + 86_400_000 },
      { code: '200', time: '0.000002', certExpiresMs: now + 90 * 86_400_000 },
    ],
    now: () => now,
  };
  const set = (await answer(request('GET / HTTP/1.1\r\n\r\n'), io({ kind: 'open' }, { ...extra, certDays: 7 })))?.toString() ?? '';
  assert.match(
    set,
    /"ok":false,"cert_days":1\.0\},\{"url":"https:\/\/later\/".*"ok":true,"cert_days":90\.0\}\],"summary":\{"total":2,"ok":1\}/,
  );
  for (const certDays of [undefined, null]) {
    const unset = (await answer(request('GET /status HTTP/1.1\r\n\r\n'), io({ kind: 'open' }, { ...extra, certDays })))?.toString() ?? '';
    assert.not.match(unset, /cert_days/);
    assert.match(unset, /"summary":\{"total":2,"ok":2\}\}$/);
  }
});

test.run();
