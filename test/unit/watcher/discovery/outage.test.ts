import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  choosePeers,
  STALE_PEERS_MS,
  stalePeersUsable,
  stalePeersWarning,
  type LastPeers,
} from '../../../../src/watcher/discovery/outage.ts';

const T = 1_000_000;
const held: LastPeers = { peers: ['10.0.0.2', '10.0.0.3'], atMs: T };
const noAnswer = (hostsFile: string[] = []) => ({ answered: false as const, reason: 'temporary failure in name resolution', hostsFile });

test('an answer is polled and remembered, an empty one too (NXDOMAIN: nothing comes back from memory)', () => {
  assert.equal(choosePeers(held, { answered: true, peers: ['10.0.0.4'] }, T + 5000), {
    peers: ['10.0.0.4'],
    last: { peers: ['10.0.0.4'], atMs: T + 5000 },
  });
  const empty = choosePeers(held, { answered: true, peers: [] }, T + 5000);
  assert.equal(empty, { peers: [], last: { peers: [], atMs: T + 5000 } });
  // The resolver then fails: the empty answer is what was held, so no peers (the originals).
  assert.equal(choosePeers(empty.last, noAnswer(), T + 6000), { peers: [], last: empty.last });
});

test('no answer: the last peers while they are at most 10 minutes old, then none', () => {
  assert.equal(choosePeers(held, noAnswer(), T + 31_500), { peers: held.peers, last: held, staleMs: 31_500 });
  assert.equal(choosePeers(held, noAnswer(), T + STALE_PEERS_MS), { peers: held.peers, last: held, staleMs: STALE_PEERS_MS });
  assert.equal(choosePeers(held, noAnswer(), T + STALE_PEERS_MS + 1), { peers: [], last: held });
  assert.equal(choosePeers(undefined, noAnswer(), T), { peers: [], last: undefined });
  // The clock runs from the last answer, not from the last round that polled the held peers.
  const again = choosePeers(held, noAnswer(), T + 300_000);
  assert.is(again.last, held);
});

test("no answer, getent killed (D21): the hosts file's peers win over the held ones, and do not restart the clock", () => {
  assert.equal(choosePeers(held, noAnswer(['10.0.0.9']), T + 1000), { peers: ['10.0.0.9'], last: held });
  assert.equal(choosePeers(held, noAnswer([]), T + 1000).peers, held.peers);
});

test('usable: peers held, young enough', () => {
  assert.ok(stalePeersUsable(held, T + STALE_PEERS_MS));
  assert.not.ok(stalePeersUsable(held, T + STALE_PEERS_MS + 1));
  assert.not.ok(stalePeersUsable({ peers: [], atMs: T }, T));
  assert.not.ok(stalePeersUsable(undefined, T));
});

test('the warning: name and age in white, whole seconds, singular and plural', () => {
  assert.is(
    stalePeersWarning('peers.test', 'temporary failure in name resolution', 2, 31_999),
    'cannot resolve \\033[37mpeers.test\\033[0m (temporary failure in name resolution): polling the 2 peers resolved \\033[37m31s\\033[0m ago (for at most 600s after)',
  );
  assert.match(stalePeersWarning('p', 'r', 1, 0), 'polling the 1 peer resolved \\033[37m0s\\033[0m ago');
});

test.run();
