// `GET /view` (docs/behaviour.md §10 "Quorum") in the exchange core: VIEW_FILE's bytes when the
// probe has one, the originals' 404 otherwise; behind the same auth as every route.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answer, routeOf, type ExchangeIo } from '../../src/exchange.ts';
import type { AuthState } from '../../src/auth.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import { notFoundResponse } from '../../src/http/response.ts';

const VIEW = Buffer.from('{"sentinella_view":1,"node":"192.0.2.1","at":1,"round_s":3,"peers":{}}\n');

function io(auth: AuthState, view?: () => Promise<Buffer | null>): ExchangeIo & { reads: number } {
  const target = {
    reads: 0,
    urls: [],
    auth: async () => auth,
    checks: async () => [],
    disk: async () => ({ rows: [], errors: [] }),
    stderr: () => {},
    authUnavailable: () => {},
    ...(view ? { view: () => (target.reads++, view()) } : {}),
  };
  return target;
}

const get = (path: string, extra = '') => parseRequestHead(`GET ${path} HTTP/1.1\r\nHost: p\r\n${extra}\r\n`);

test('routeOf: /view by the same prefix rule as the other routes, only with VIEW_FILE', () => {
  assert.is(routeOf('GET /view HTTP/1.1', false, true), 'view');
  assert.is(routeOf('GET /view HTTP/1.1'), 'not-found');
  assert.is(routeOf('GET /views HTTP/1.1', false, true), 'not-found');
  assert.is(routeOf('GET /view?x HTTP/1.1', false, true), 'not-found');
  assert.is(routeOf('HEAD /view HTTP/1.1', false, true), 'not-found');
});

test('without VIEW_FILE (and in the router): the 404 of every unknown path, byte for byte', async () => {
  assert.equal(await answer(get('/view'), io({ kind: 'open' })), notFoundResponse());
  assert.equal(await answer(get('/view'), io({ kind: 'open' })), await answer(get('/nope'), io({ kind: 'open' })));
});

test('with VIEW_FILE: its bytes as application/json; unreadable: 404', async () => {
  const served = await answer(
    get('/view'),
    io({ kind: 'open' }, async () => VIEW),
  );
  assert.is(
    served?.toString('latin1'),
    `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${VIEW.length}\r\nConnection: close\r\n\r\n${VIEW.toString('latin1')}`,
  );
  assert.equal(
    await answer(
      get('/view'),
      io({ kind: 'open' }, async () => null),
    ),
    notFoundResponse(),
  );
});

test('behind AUTH_FILE: 401 without the token, the file not even read; served with it', async () => {
  const tokens: AuthState = { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] };
  const target = io(tokens, async () => VIEW);
  for (const extra of ['', 'Authorization: Basic d3Jvbmc6eA==\r\n']) {
    assert.match((await answer(get('/view', extra), target))?.toString('latin1') ?? '', /^HTTP\/1\.1 401 Unauthorized\r\n/);
  }
  assert.is(target.reads, 0);
  const ok = await answer(get('/view', 'Authorization: Basic dXNlcjpwYXNz\r\n'), target);
  assert.match(ok?.toString('latin1') ?? '', /^HTTP\/1\.1 200 OK\r\n/);
  assert.is(target.reads, 1);
});

test.run();
