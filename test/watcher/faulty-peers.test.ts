// Fault: peers that hang (two ways), answer 10 MB of garbage (raw, and as a 200 body) or reset
// the connection. The round still ends about TIMEOUT after it started (peers are polled
// concurrently; one after another it would take 2 x TIMEOUT or more), and the healthy and
// failing peers around them are reported correctly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../src/compat/cksum.ts';
import { runScenario } from './sandbox.ts';
import type { RoundsReport as Result } from './scenario.ts';

const url = (n: number) => `http://127.0.0.${n}:5988`;
const text = (body: string) => decodeURIComponent(body.replace(/^chat_id=-100&text=/, '').replace(/\+/g, ' '));

test('hanging, garbage and resetting peers: bounded rounds, others correct', async () => {
  const r = await runScenario<Result>('faulty-peers', 90000);
  const want: Record<number, [string, string]> = {
    2: ['down:0/0:000', `FAIL: ${url(2)} [0/0]`], // accepts, never answers
    3: ['down:0/0:000', `FAIL: ${url(3)} [0/0]`], // 10 MB of non-HTTP bytes
    4: ['down:0/0:200', `FAIL: ${url(4)} [0/0] \u2014 invalid status body`], // 200 + 10 MB body (D9, D20)
    5: ['down:0/0:000', `FAIL: ${url(5)} [0/0]`], // reset
    6: ['up:0/0:200', `OK  : ${url(6)} [0/0]`],
    7: ['down:0/1:200', `FAIL: ${url(7)} [0/1] \u2014 http://svc.test/a(500)`],
    8: ['down:0/0:000', `FAIL: ${url(8)} [0/0]`], // 3 of 100 body bytes, then silence
  };
  for (const [n, [state]] of Object.entries(want)) assert.is(r.states[`${cksum(url(Number(n)))}.state`], state, url(Number(n)));
  assert.equal(
    r.telegram.map((t) => text(t.body)),
    Object.values(want).map(([, m]) => m),
    'one alert per peer, in DNS order',
  );
  assert.match(r.stderr, /curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received\n/);
  assert.match(r.stderr, /curl: \(28\) Operation timed out after \d+ milliseconds with 3 out of 100 bytes received\n/);
  assert.match(r.stderr, 'curl: (56) Recv failure: Connection reset by peer\n');
  assert.match(r.stderr, 'curl: (1) Received HTTP/0.9 when not allowed\n');
  assert.is(r.stop, 'exit 0');
  // Rounds 2 and 3 send no alert: their length is polling alone.
  const lengths = r.roundStartsMs.slice(1).map((t, i) => t - (r.roundStartsMs[i] as number) - r.intervalSec * 1000);
  console.log(
    `    faulty-peers: TIMEOUT=${r.timeoutSec}s, round lengths ${lengths.map((l) => `${(l / 1000).toFixed(2)}s`).join(', ')} (first one sends 7 alerts)`,
  );
  for (const l of lengths.slice(1)) {
    assert.ok(
      l < (r.timeoutSec + 1.5) * 1000,
      `round of ${l} ms ends within TIMEOUT plus a margin (serial polling: >= ${2 * r.timeoutSec} s)`,
    );
  }
});

test.run();
