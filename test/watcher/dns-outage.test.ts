// D43 (dns-outage-scenario.ts): while the resolver does not answer (SERVFAIL; a timeout that
// gets getent killed, D21), the peers resolved last are still polled, so a peer that fails
// during a 30 s outage is alerted within one round plus TIMEOUT. A name without addresses
// (NXDOMAIN, an empty answer) is an answer: nobody is polled, as in the originals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface Result {
  readonly timeoutSec: number;
  readonly outageStartMs: number;
  readonly failMs: number;
  readonly outageEndMs: number;
  readonly roundStartsMs: number[];
  readonly pollsMs: number[][];
  readonly telegram: { text: string; atMs: number }[];
  readonly stop: string;
  readonly stderr: string;
}

const peer = (n: number): string => `http://127.0.0.${n}:5988`;
const OKS = [`OK  : ${peer(2)} [1/1]`, `OK  : ${peer(3)} [1/1]`];
const FAIL = `FAIL: ${peer(3)} [0/1] \u2014 http://svc.test/health(500)`;
const REASONS: Record<string, string> = {
  servfail: 'temporary failure in name resolution',
  timeout: 'getent hosts peers.test did not answer within 3s',
  'servfail-nogetent': 'temporary failure in name resolution',
};

for (const mode of ['servfail', 'timeout', 'servfail-nogetent']) {
  test(`DNS ${mode} for ${mode.endsWith('nogetent') ? 12 : 30} s: the last peers are polled, a peer failing meanwhile is alerted within a round + TIMEOUT`, async () => {
    const r = await runScenario<Result>(`dns-outage-${mode}`, 120_000, 'dns-outage-scenario.ts');
    const during = r.roundStartsMs.filter((t) => t >= r.outageStartMs && t <= r.outageEndMs);
    const lengths = during.slice(1).map((t, i) => t - (during[i] as number));
    const round = Math.max(...lengths);
    const fail = r.telegram.find((t) => t.text === FAIL);
    const delay = fail === undefined ? Infinity : fail.atMs - r.failMs;
    const polled2 = (r.pollsMs[0] ?? []).filter((t) => t > r.outageStartMs + round && t < r.outageEndMs).length;
    console.log(
      `    ${mode}: ${during.length} rounds in the outage (longest ${(round / 1000).toFixed(2)}s), peer .2 polled ${polled2}x; ` +
        `FAIL of .3 alerted ${fail === undefined ? 'never' : `${(delay / 1000).toFixed(2)}s after it failed`} ` +
        `(bound: a round + TIMEOUT = ${((round + r.timeoutSec * 1000) / 1000).toFixed(2)}s)`,
    );
    assert.equal(
      r.telegram.map((t) => t.text),
      [...OKS, FAIL],
      'two OKs, then the FAIL (nothing else)',
    );
    assert.ok(fail !== undefined && fail.atMs < r.outageEndMs, `the FAIL is sent during the outage:\n${r.stderr}`);
    assert.ok(delay <= round + r.timeoutSec * 1000, `alerted ${delay} ms after the failure, bound ${round} + ${r.timeoutSec * 1000} ms`);
    assert.ok(
      during.length >= 5 && polled2 >= during.length - 2,
      `peer .2 polled every round of the outage (${polled2} of ${during.length})`,
    );
    assert.match(r.stderr, `cannot resolve peers.test (${REASONS[mode]}): polling the 2 peers resolved `);
    assert.not.match(r.stderr, 'no peers resolved');
    assert.not.match(r.stderr, 'using /etc/hosts only');
    if (mode.endsWith('nogetent')) assert.match(r.stderr, "resolving peers with Node's resolver");
    assert.is(r.stop, 'exit 0');
  });
}

test('NXDOMAIN, then an empty answer: nobody is polled, nothing alerted until the name has addresses again', async () => {
  const r = await runScenario<Result>('dns-outage-nxdomain', 120_000, 'dns-outage-scenario.ts');
  // A round in flight when the records changed may still poll: 5 s of margin.
  const polls = r.pollsMs.flat().filter((t) => t > r.outageStartMs + 5000 && t < r.outageEndMs).length;
  const rounds = r.roundStartsMs.filter((t) => t > r.outageStartMs + 5000 && t < r.outageEndMs).length;
  console.log(
    `    nxdomain/empty: ${rounds} rounds polled ${polls} peers; FAIL sent ${((r.telegram[2]?.atMs ?? 0) - r.outageEndMs) / 1000}s after DNS answered again`,
  );
  assert.ok(rounds >= 10, `${rounds} rounds`);
  assert.is(polls, 0);
  assert.equal(
    r.telegram.map((t) => t.text),
    [...OKS, FAIL],
  );
  assert.ok((r.telegram[2]?.atMs ?? 0) > r.outageEndMs, 'the FAIL only once the name has addresses again');
  assert.match(r.stderr, 'no peers resolved from peers.test (all IPs are local or DNS returned nothing)');
  assert.not.match(r.stderr, 'cannot resolve');
  assert.is(r.stop, 'exit 0');
});

test.run();
