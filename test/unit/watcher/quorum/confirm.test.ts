// QUORUM's decision for one peer: confirmation (k, majority), one reporter, take-over, and how
// many views each case fetches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  roundsWaited,
  settle,
  showsAnnounced,
  stillOnIt,
  vote,
  type Case,
  type Opinion,
  type Rule,
} from '../../../../src/watcher/quorum/confirm.ts';
import type { PeerView } from '../../../../src/watcher/quorum/view.ts';

const MAJORITY: Rule = { kind: 'majority' };
const NOW_S = 1_764_950_000;
const count = (k: number): Rule => ({ kind: 'count', k });

const DOWN: PeerView = { up: false, state: 'down:0/0:000', since: 1, announced: false };
const DOWN_ANNOUNCED: PeerView = { ...DOWN, announced: true };
const UP: PeerView = { up: true, state: 'up:1/1:200', since: 1, announced: true };

/** What each candidate would answer: a view of P (undefined: says nothing of P) or no view. */
type World = Record<string, PeerView | undefined | 'none'>;

/**
 * Runs settle() against `world`, every candidate unknown at first unless listed in `known`.
 * Views were written long ago (at 1 s: their watchers stopped), except those of `live` (a second ago).
 */
async function run(
  c: Omit<Case, 'fetched' | 'up' | 'state' | 'lastUp' | 'nowS'> & Partial<Case>,
  world: World,
  known: string[] = [],
  live: string[] = [],
) {
  const cache = new Map<string, Opinion>();
  const toOpinion = (a: string): Opinion => {
    const w = world[a];
    return w === 'none' ? { kind: 'none' } : { kind: 'view', peer: w, at: live.includes(a) ? NOW_S - 1 : 1, roundS: 3 };
  };
  for (const a of known) cache.set(a, toOpinion(a));
  const fetched: string[] = [];
  const { ranking, ...rest } = c;
  const outcome = await settle(
    { up: false, state: 'down:0/0:000', lastUp: true, nowS: NOW_S, ...rest, ranking: () => ranking },
    (a) => cache.get(a) ?? { kind: 'unknown' },
    async (a) => {
      fetched.push(a);
      cache.set(a, toOpinion(a));
    },
  );
  return { outcome, fetched };
}

const RANKING = ['me', 'a', 'b', 'c', 'd', 'e', 'f'];

test('first in the ranking, majority of 7: fetches in ranking order and stops once confirmed', async () => {
  const all = { a: DOWN, b: DOWN, c: DOWN, d: DOWN, e: DOWN, f: DOWN };
  const r = await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, all);
  assert.equal(r, { outcome: { kind: 'announce', agree: 4, of: 7 }, fetched: ['a', 'b', 'c'] });
  // Mixed answers: confirmed once 4 of the 7 agree whatever the rest say.
  const mixed = { a: DOWN, b: UP, c: DOWN, d: UP, e: DOWN, f: 'none' as const };
  const m = await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, mixed);
  assert.equal(m, { outcome: { kind: 'announce', agree: 4, of: 7 }, fetched: ['a', 'b', 'c', 'd', 'e'] });
});

test('majority refused as soon as it cannot be reached; no view is no vote', async () => {
  const against = { a: UP, b: UP, c: UP, d: UP, e: UP, f: UP };
  const r = await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, against);
  assert.equal(r, { outcome: { kind: 'unconfirmed', agree: 1, of: 7 }, fetched: ['a', 'b', 'c', 'd'] });
  // A view that says nothing of P (that watcher has not polled it yet) does not agree.
  const silent = { a: undefined, b: undefined, c: undefined, d: undefined, e: DOWN, f: DOWN };
  assert.equal(await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, silent), {
    outcome: { kind: 'unconfirmed', agree: 1, of: 7 },
    fetched: ['a', 'b', 'c', 'd'],
  });
  // Four of six serve no view (404, stale, malformed), c agrees: confirmed before f is asked
  // (whatever f says, 2 of at most 3 agree).
  const few = { a: 'none' as const, b: 'none' as const, c: DOWN, d: 'none' as const, e: 'none' as const, f: 'none' as const };
  assert.equal((await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, few)).outcome, {
    kind: 'announce',
    agree: 2,
    of: 3,
  });
});

test('mixed cluster: no other watcher serves a view: this one decides alone, as without the mode', async () => {
  for (const rule of [MAJORITY, count(3)]) {
    assert.equal(await run({ self: 'me', ranking: ['me'], waited: 0, rule }, {}), {
      outcome: { kind: 'announce', agree: 1, of: 1 },
      fetched: [],
    });
  }
});

test('QUORUM=k: k agreeing confirm; a disagreeing view with too few left refuses; fewer than k all agreeing confirm', async () => {
  const r = await run({ self: 'me', ranking: RANKING, waited: 0, rule: count(3) }, { a: DOWN, b: UP, c: DOWN });
  assert.equal(r, { outcome: { kind: 'announce', agree: 3, of: 7 }, fetched: ['a', 'b', 'c'] });
  const refused = await run({ self: 'me', ranking: ['me', 'a', 'b'], waited: 0, rule: count(3) }, { a: UP, b: DOWN });
  assert.equal(refused, { outcome: { kind: 'unconfirmed', agree: 1, of: 3 }, fetched: ['a'] });
  const small = await run({ self: 'me', ranking: ['me', 'a', 'b'], waited: 0, rule: count(5) }, { a: DOWN, b: 'none' });
  assert.equal(small, { outcome: { kind: 'announce', agree: 2, of: 2 }, fetched: ['a', 'b'] });
  assert.equal(await run({ self: 'me', ranking: RANKING, waited: 0, rule: count(1) }, {}), {
    outcome: { kind: 'announce', agree: 1, of: 7 },
    fetched: [],
  });
});

test('not its turn (t < j): one view a round, the first higher-ranked that serves one', async () => {
  const ranking = ['a', 'b', 'me', 'c'];
  assert.equal(await run({ self: 'me', ranking, waited: 0, rule: MAJORITY }, { a: DOWN_ANNOUNCED }), {
    outcome: { kind: 'record', by: 'a' },
    fetched: ['a'],
  });
  assert.equal(await run({ self: 'me', ranking, waited: 1, rule: MAJORITY }, { a: DOWN }), {
    outcome: { kind: 'wait', position: 2 },
    fetched: ['a'],
  });
  // a serves no view: one fetch spent on it, b waits for the next round...
  assert.equal(await run({ self: 'me', ranking, waited: 0, rule: MAJORITY }, { a: 'none', b: DOWN_ANNOUNCED }), {
    outcome: { kind: 'wait', position: 2 },
    fetched: ['a'],
  });
  // ...unless a's answer was already at hand this round (fetched for another peer): then b.
  assert.equal(await run({ self: 'me', ranking, waited: 0, rule: MAJORITY }, { a: 'none', b: DOWN_ANNOUNCED }, ['a']), {
    outcome: { kind: 'record', by: 'b' },
    fetched: ['b'],
  });
});

test('any view at hand that shows it announced is recorded, whatever its rank, without a fetch', async () => {
  const r = await run({ self: 'me', ranking: RANKING, waited: 0, rule: MAJORITY }, { f: DOWN_ANNOUNCED }, ['f']);
  assert.equal(r, { outcome: { kind: 'record', by: 'f' }, fetched: [] });
});

test('take-over: at t ≥ j every higher-ranked view is read first; none announced, the vote decides', async () => {
  // A node died and the watchers ranked 0-2 for it were killed: their probes still answer and
  // their last views (P up) are fresh for a while. The one ranked 3 sends at t = 3.
  const ranking = ['d1', 'd2', 'd3', 'me', 'a', 'b', 'c'];
  const world = { d1: UP, d2: UP, d3: UP, a: DOWN, b: DOWN, c: DOWN };
  assert.equal(await run({ self: 'me', ranking, waited: 2, rule: MAJORITY }, world), {
    outcome: { kind: 'wait', position: 3 },
    fetched: ['d1'],
  });
  assert.equal(await run({ self: 'me', ranking, waited: 3, rule: MAJORITY }, world), {
    outcome: { kind: 'announce', agree: 4, of: 7 },
    fetched: ['d1', 'd2', 'd3', 'a', 'b', 'c'],
  });
  // One of them announced it meanwhile: recorded, no message.
  assert.equal(await run({ self: 'me', ranking, waited: 3, rule: MAJORITY }, { ...world, d2: DOWN_ANNOUNCED }), {
    outcome: { kind: 'record', by: 'd2' },
    fetched: ['d1', 'd2'],
  });
});

test('take-over waits while a higher-ranked watcher that runs and sees the change is still on it (flood control)', async () => {
  const ranking = ['a', 'me', 'b', 'c'];
  const seen = (ago: number): PeerView => ({ ...DOWN, since: NOW_S - ago });
  // a's view is current and it saw the change 10 s ago: its message may be queued. Wait.
  assert.equal(await run({ self: 'me', ranking, waited: 5, rule: MAJORITY }, { a: seen(10), b: DOWN, c: DOWN }, [], ['a']), {
    outcome: { kind: 'wait', position: 1 },
    fetched: ['a'],
  });
  // It has seen it for 3 rounds + 10 s (19 s) without announcing it: taken over.
  assert.equal((await run({ self: 'me', ranking, waited: 5, rule: MAJORITY }, { a: seen(19), b: DOWN, c: DOWN }, [], ['a'])).outcome, {
    kind: 'announce',
    agree: 3,
    of: 4,
  });
  // Its view is old (its watcher stopped): taken over, whatever it saw.
  assert.equal((await run({ self: 'me', ranking, waited: 5, rule: MAJORITY }, { a: seen(10), b: DOWN, c: DOWN })).outcome.kind, 'announce');
  // It runs but does not see the change: no reason to wait.
  assert.equal(
    (await run({ self: 'me', ranking, waited: 5, rule: MAJORITY }, { a: UP, b: DOWN, c: DOWN }, [], ['a'])).outcome.kind,
    'announce',
  );
  assert.ok(stillOnIt({ up: false, nowS: NOW_S }, { kind: 'view', peer: seen(0), at: NOW_S - 6, roundS: 3 }));
  assert.not.ok(stillOnIt({ up: false, nowS: NOW_S }, { kind: 'view', peer: seen(0), at: NOW_S - 6.1, roundS: 3 }));
});

test('showsAnnounced: up/down decides; a change that keeps up/down needs the same state string', () => {
  const c = { up: false, state: 'down:0/3:200', lastUp: true };
  assert.ok(showsAnnounced(c, { ...DOWN_ANNOUNCED, state: 'down:1/3:200' }));
  assert.not.ok(showsAnnounced(c, DOWN));
  assert.not.ok(showsAnnounced(c, UP));
  assert.not.ok(showsAnnounced(c, undefined));
  const same = { ...c, lastUp: false };
  assert.not.ok(showsAnnounced(same, { ...DOWN_ANNOUNCED, state: 'down:1/3:200' }));
  assert.ok(showsAnnounced(same, { ...DOWN_ANNOUNCED, state: 'down:0/3:200' }));
  // Fresh start (no state file): any announcement of the same up/down.
  assert.ok(showsAnnounced({ up: true, state: 'up:1/1:200', lastUp: undefined }, { ...UP, state: 'up:2/2:200' }));
});

test('vote: the margins', () => {
  const t = (agree: number, consulted: number, disagree: number, unknown: number) => ({ agree, consulted, disagree, unknown });
  assert.is(vote(MAJORITY, t(1, 1, 0, 0)), 'confirmed');
  assert.is(vote(MAJORITY, t(1, 1, 0, 1)), 'open');
  assert.is(vote(MAJORITY, t(1, 2, 1, 0)), 'refused'); // 1 of 2 is not more than half
  assert.is(vote(MAJORITY, t(2, 3, 1, 0)), 'confirmed');
  assert.is(vote(MAJORITY, t(12, 12, 0, 11)), 'confirmed'); // 24 nodes: 12 of 23
  assert.is(vote(MAJORITY, t(11, 11, 0, 12)), 'open');
  assert.is(vote(count(2), t(1, 1, 0, 3)), 'open');
  assert.is(vote(count(2), t(1, 2, 1, 0)), 'refused');
  assert.is(vote(count(2), t(1, 1, 0, 0)), 'confirmed');
});

test('roundsWaited: whole rounds of round_s since the change was first seen', () => {
  assert.is(roundsWaited(10_000, 10_000, 3), 0);
  assert.is(roundsWaited(10_000, 12_999, 3), 0);
  assert.is(roundsWaited(10_000, 13_000, 3), 1);
  assert.is(roundsWaited(10_000, 19_500, 3), 3);
  assert.is(roundsWaited(10_000, 9_000, 3), 0);
  assert.is(roundsWaited(10_000, 1e12, Infinity), 0);
});

test.run();
