// QUORUM's rendezvous ranking: the same order on every node, computed from sha256 alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { peerAddress } from '../../../../src/watcher/message.ts';
import { byRank, rank, score } from '../../../../src/watcher/quorum/ranking.ts';
import { Prng } from '../../../support/prng.ts';
import { isEach } from '../../../support/table.ts';

test('score: the first 8 bytes of sha256("<peer>\\n<watcher>"), big-endian (checked against sha256sum)', () => {
  const prng = new Prng(0x16);
  const random = { int: (n: number) => prng.int(0, n - 1) };
  for (let i = 0; i < 20; i++) {
    const peer = `10.${random.int(256)}.${random.int(256)}.${random.int(256)}`;
    const watcher = i % 2 ? `2001:db8::${random.int(65536).toString(16)}` : `192.0.2.${random.int(256)}`;
    const hex = execFileSync('sha256sum', { input: `${peer}\n${watcher}` })
      .toString('latin1')
      .slice(0, 16);
    assert.is(score(peer, watcher), BigInt(`0x${hex}`), `${peer} ${watcher}`);
  }
});

test('rank: higher score first; the peer itself and duplicates left out; input order does not matter', () => {
  // sha256("192.0.2.9\n192.0.2.<n>"): .1 cfeb1e55..., .3 ca99d575..., .4 8d5cae66..., .2 02146dc2...
  const expected = ['192.0.2.1', '192.0.2.3', '192.0.2.4', '192.0.2.2'];
  assert.equal(rank('192.0.2.9', ['192.0.2.2', '192.0.2.9', '192.0.2.4', '192.0.2.1', '192.0.2.3', '192.0.2.4']), expected);
  assert.equal(rank('192.0.2.9', [...expected].reverse()), expected);
  assert.equal(rank('192.0.2.9', []), []);
});

test('byRank: equal scores by the address string', () => {
  const list = [
    { watcher: '10.0.0.2', score: 5n },
    { watcher: '10.0.0.10', score: 5n },
    { watcher: '10.0.0.1', score: 7n },
  ];
  assert.equal(
    [...list].sort(byRank).map((x) => x.watcher),
    ['10.0.0.1', '10.0.0.10', '10.0.0.2'],
  );
});

test('spread: over 2400 peers, each of 24 watchers ranks first for about its share', () => {
  const watchers = Array.from({ length: 24 }, (_, i) => `192.0.2.${i + 1}`);
  const first = new Map<string, number>();
  for (let p = 0; p < 2400; p++) {
    const top = rank(`10.1.${p >> 8}.${p & 255}`, watchers)[0] as string;
    first.set(top, (first.get(top) ?? 0) + 1);
  }
  assert.is(first.size, 24);
  for (const [w, n] of first) assert.ok(n > 50 && n < 160, `${w} first for ${n} of 2400 peers`);
});

test('peerAddress: the host of a peer URL, IPv6 brackets dropped', () => {
  isEach(peerAddress, [
    ['http://192.0.2.1:5988', '192.0.2.1'],
    ['https://[2001:db8::1]:5988', '2001:db8::1'],
    ['http://peer.test:0005988/x', 'peer.test'],
    ['http://192.0.2.1/', '192.0.2.1'],
    ['192.0.2.7', '192.0.2.7'],
  ]);
});

test.run();
