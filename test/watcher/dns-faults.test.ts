// Fault: DNS that times out (resolver: 5 s x 2 attempts) or answers SERVFAIL. The peer in
// the hosts file is still polled and reported, and a round does not wait on the resolver for
// more than TIMEOUT + 1 s (D21: getent is bounded; on timeout the hosts file alone is used).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../src/compat/cksum.ts';
import { runScenario } from './sandbox.ts';
import type { RoundsReport } from './scenario.ts';

interface Result extends RoundsReport {
  readonly dnsQueries: number;
}

const peer = 'http://127.0.0.6:5988';

for (const mode of ['timeout', 'servfail']) {
  test(`DNS ${mode}: hosts-file peer reported, rounds bounded`, async () => {
    const r = await runScenario<Result>(`dns-${mode}`, 90000);
    assert.ok(r.dnsQueries > 0, 'the resolver did ask DNS');
    assert.is(r.states[`${cksum(peer)}.state`], 'up:0/0:200');
    assert.equal(
      r.telegram.map((t) => t.body),
      ['chat_id=-100&text=OK++%3A+http%3A%2F%2F127.0.0.6%3A5988+%5B0%2F0%5D'],
    );
    assert.is(r.stop, 'exit 0');
    if (mode === 'timeout')
      assert.match(r.stderr, 'cannot resolve peers: getent hosts peers.test did not answer within 3s; using /etc/hosts only\n');
    else assert.not.match(r.stderr, 'cannot resolve peers');
    const lengths = r.roundStartsMs.slice(1).map((t, i) => t - (r.roundStartsMs[i] as number) - r.intervalSec * 1000);
    console.log(`    dns-${mode}: TIMEOUT=${r.timeoutSec}s, round lengths ${lengths.map((l) => `${(l / 1000).toFixed(2)}s`).join(', ')}`);
    for (const l of lengths)
      assert.ok(
        l < (r.timeoutSec + 2) * 1000,
        `round of ${l} ms: resolver bound TIMEOUT + 1 s, plus 1 s (the resolver alone would wait 10 s)`,
      );
  });
}

test.run();
