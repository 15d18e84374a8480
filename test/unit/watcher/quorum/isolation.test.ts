// QUORUM's isolation rule: most peers pending down and (almost) no fresh view from those that
// answer: one line naming this node, once per episode.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  isolated,
  isolationLine,
  mayBeIsolated,
  nextEpisode,
  NO_EPISODE,
  saidEpisode,
  viewsNeeded,
} from '../../../../src/watcher/quorum/isolation.ts';

const MAJORITY = { kind: 'majority' } as const;
const k = (n: number) => ({ kind: 'count', k: n }) as const;

test('more than half pending down and no fresh view (majority): isolated', () => {
  assert.ok(isolated(MAJORITY, { pendingDown: 7, peers: 7, freshViews: 0 }));
  assert.ok(isolated(MAJORITY, { pendingDown: 4, peers: 7, freshViews: 0 }));
  assert.not.ok(isolated(MAJORITY, { pendingDown: 7, peers: 7, freshViews: 1 }), 'one watcher still answers with a view');
  assert.not.ok(isolated(MAJORITY, { pendingDown: 3, peers: 6, freshViews: 0 }), 'half is not more than half');
  assert.not.ok(isolated(MAJORITY, { pendingDown: 1, peers: 1, freshViews: 0 }), 'a mesh of 2: a dead node and a cut link look alike');
  assert.ok(isolated(MAJORITY, { pendingDown: 2, peers: 2, freshViews: 0 }));
  assert.not.ok(isolated(MAJORITY, { pendingDown: 0, peers: 0, freshViews: 0 }));
});

test('QUORUM=k: fewer than k−1 fresh views; k=1 is never isolated', () => {
  assert.equal(
    [1, 2, 3, 5].map((n) => viewsNeeded(k(n))),
    [0, 1, 2, 4],
  );
  assert.is(viewsNeeded(MAJORITY), 1);
  assert.ok(isolated(k(3), { pendingDown: 5, peers: 7, freshViews: 1 }));
  assert.not.ok(isolated(k(3), { pendingDown: 5, peers: 7, freshViews: 2 }));
  assert.not.ok(isolated(k(1), { pendingDown: 7, peers: 7, freshViews: 0 }));
  assert.ok(mayBeIsolated(k(3), { pendingDown: 5, peers: 7 }));
  assert.not.ok(mayBeIsolated(k(3), { pendingDown: 3, peers: 7 }));
});

test('the line names this node, then once per episode until delivered', () => {
  assert.is(isolationLine('192.0.2.8', 7, 7), '192.0.2.8 cannot reach 7 of 7 peers: its own network may be down');
  let e = nextEpisode(NO_EPISODE, true);
  assert.is(e.say, true);
  e = nextEpisode(e, true); // not delivered yet (Telegram refused): said again
  assert.is(e.say, true);
  let s = saidEpisode(e);
  const again = nextEpisode(s, true);
  assert.is(again.say, false);
  s = nextEpisode(again, false); // reached enough peers again: the episode ends
  assert.equal(s, { isolated: false, said: false, say: false });
  assert.is(nextEpisode(s, true).say, true, 'a new episode is said again');
});

test.run();
