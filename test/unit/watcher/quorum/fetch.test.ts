// Fetching views: GET /view with PEERS_TOKEN through the port's HTTP client, once per address
// per round, bounded by TIMEOUT; 404 remembered as "serves no view"; anything else is no view.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_VIEW_MEMORY_MS, ViewFetcher, type Fetched } from '../../../../src/watcher/quorum/fetch.ts';
import { renderView } from '../../../../src/watcher/quorum/view.ts';
import { startRawServer, type RawAnswer } from '../../../support/raw-server.ts';

const answer = (status: string, body: string): Buffer =>
  Buffer.from(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );

const NOW_MS = 1_764_950_000_000;
const GRACE_MS = 19_000;
const VIEW = renderView({
  node: '127.0.0.1',
  at: NOW_MS / 1000 - 1,
  roundS: 3,
  peers: new Map([['192.0.2.9', { up: false, state: 'down:0/0:000', since: NOW_MS / 1000 - 2, announced: true }]]),
});

async function withServer(
  reply: (path: string) => RawAnswer,
  body: (fetch: (address: string) => Promise<Fetched>, fetcher: ViewFetcher, heads: Buffer[], clock: { ms: number }) => Promise<void>,
) {
  const server = await startRawServer((head) => reply(head.toString('latin1').split(' ')[1] ?? ''));
  const clock = { ms: NOW_MS };
  const fetcher = new ViewFetcher({ token: 'dXNlcjpwYXNz', timeoutMs: 500, graceMs: GRACE_MS, now: () => clock.ms });
  const fetch = (address: string) => fetcher.fetch(address, `http://${address}:${server.port}`);
  try {
    await body(fetch, fetcher, server.heads, clock);
  } finally {
    await server.close();
  }
}

test('GET /view with the token, as a peer request; one request per address per round', async () => {
  await withServer(
    () => answer('200 OK', VIEW),
    async (fetch, fetcher, heads) => {
      const first = await fetch('127.0.0.1');
      assert.is(first.kind, 'view');
      if (first.kind === 'view') assert.equal(first.view.peers.get('192.0.2.9')?.announced, true);
      const again = await Promise.all([fetch('127.0.0.1'), fetch('127.0.0.1')]);
      assert.equal(again, [first, first]);
      assert.is(heads.length, 1);
      assert.is(fetcher.requests, 1);
      const head = heads[0]?.toString('latin1') ?? '';
      assert.match(
        head,
        /^GET \/view HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nUser-Agent: curl\/7\.88\.1\r\nAccept: \*\/\*\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n$/,
      );
      fetcher.startRound();
      await fetch('127.0.0.1');
      assert.is(heads.length, 2);
    },
  );
});

test('404: no view; after 404s lasting the grace (a starting watcher writes its view sooner), it serves no view', async () => {
  let status = '404 Not Found';
  await withServer(
    () => (status.startsWith('404') ? answer(status, 'Not found\n') : answer(status, VIEW)),
    async (fetch, fetcher, heads, clock) => {
      const round = async () => {
        fetcher.startRound();
        return fetch('127.0.0.1');
      };
      assert.equal(await round(), { kind: 'none', reason: 'HTTP 404', absent: true });
      assert.not.ok(fetcher.servesNoView('127.0.0.1'), 'one 404: a watcher may be starting');
      clock.ms += GRACE_MS - 1;
      await round();
      assert.not.ok(fetcher.servesNoView('127.0.0.1'));
      clock.ms += 1;
      await round();
      assert.ok(fetcher.servesNoView('127.0.0.1'), '404s for the whole grace: no view');
      clock.ms += NO_VIEW_MEMORY_MS - 1;
      assert.ok(fetcher.servesNoView('127.0.0.1'));
      clock.ms += 1;
      assert.not.ok(fetcher.servesNoView('127.0.0.1'), 'asked again after the memory');
      await round();
      assert.ok(fetcher.servesNoView('127.0.0.1'), 'still 404: at once, no new grace');
      status = '200 OK';
      clock.ms = NOW_MS;
      await round();
      assert.not.ok(fetcher.servesNoView('127.0.0.1'), 'a view: forgotten');
      status = '404 Not Found';
      await round();
      assert.not.ok(fetcher.servesNoView('127.0.0.1'), 'a new run of 404s: a new grace');
      assert.is(heads.length, 6);
    },
  );
});

test('other statuses, bodies that are not views, stale views, no answer in time: no view, not "serves no view"', async () => {
  const stale = renderView({ node: 'x', at: NOW_MS / 1000 - 20, roundS: 3, peers: new Map() });
  const replies: Record<string, RawAnswer> = {
    a: answer('401 Unauthorized', '{"error":"unauthorized"}'),
    b: answer('200 OK', '<html>'),
    c: answer('200 OK', stale),
    d: 'hang',
    e: Buffer.from('garbage\r\n\r\n'),
  };
  const expected: Record<string, RegExp> = {
    a: /^HTTP 401$/,
    b: /^not JSON$/,
    c: /^stale \(20 s old\)$/,
    d: /^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received$/,
    e: /./,
  };
  for (const key of Object.keys(replies)) {
    await withServer(
      () => replies[key] as RawAnswer,
      async (fetch, fetcher) => {
        const got = await fetch('127.0.0.1');
        assert.is(got.kind, 'none', key);
        if (got.kind === 'none') {
          assert.match(got.reason, expected[key] as RegExp, `${key}: ${got.reason}`);
          assert.is(got.absent, false, key);
        }
        assert.not.ok(fetcher.servesNoView('127.0.0.1'), key);
      },
    );
  }
});

test('connection refused: no view', async () => {
  const server = await startRawServer(() => 'hang');
  const port = server.port;
  await server.close();
  const fetcher = new ViewFetcher({ token: null, timeoutMs: 500, graceMs: GRACE_MS });
  const got = await fetcher.fetch('127.0.0.1', `http://127.0.0.1:${port}`);
  assert.is(got.kind, 'none');
  if (got.kind === 'none')
    assert.match(got.reason, new RegExp(`^curl: \\(7\\) Failed to connect to 127\\.0\\.0\\.1 port ${port} after \\d+ ms`));
});

test.run();
