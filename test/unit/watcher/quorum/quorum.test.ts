// QUORUM's round: which changes are announced, recorded or kept, what is fetched for them, the
// isolation rule, a mixed cluster, and the view written to VIEW_FILE. Rankings are the real
// ones (ranking.ts) for the mesh 192.0.2.1-8, this watcher being 192.0.2.1:
//   peer .2: .1 .4 .5 .8 .6 .3 .7   (this watcher first)
//   peer .5: .2 .3 .1 .6 .7 .4 .8   (this watcher third)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Fetched } from '../../../../src/watcher/quorum/fetch.ts';
import { Quorum, type QuorumPeer, type ViewSource } from '../../../../src/watcher/quorum/quorum.ts';
import { parseView, type PeerView } from '../../../../src/watcher/quorum/view.ts';

const SELF = '192.0.2.1';
const ADDRESSES = [2, 3, 4, 5, 6, 7, 8].map((i) => `192.0.2.${i}`);
/** The same value for every peer but this node (one object, as the views' answers are). */
const everyPeer = <T>(value: T): Record<string, T> => Object.fromEntries(ADDRESSES.map((a) => [a, value]));
const UP = 'up:1/1:200';
const DOWN = 'down:0/0:000';
const url = (address: string) => `http://${address}:5988`;

/** Views by address; 404 (absent) makes the address "serve no view", as fetch.ts does. */
class FakeViews implements ViewSource {
  requests: string[] = [];
  private readonly noView = new Set<string>();
  constructor(public answers: Record<string, Fetched> = {}) {}
  startRound(): void {}
  servesNoView(address: string): boolean {
    return this.noView.has(address);
  }
  async fetch(address: string, url: string): Promise<Fetched> {
    assert.is(url, `http://${address}:5988`);
    this.requests.push(address);
    const got = this.answers[address] ?? { kind: 'none', reason: 'no answer', absent: false };
    if (got.kind === 'none' && got.absent) this.noView.add(address);
    return got;
  }
}

function viewOf(node: string, peers: Record<string, Partial<PeerView>>): Fetched {
  const map = new Map(Object.entries(peers).map(([a, p]) => [a, { up: true, state: UP, since: 1, announced: true, ...p }]));
  return { kind: 'view', view: { node, at: 1, roundS: 3, peers: map } };
}
const NOT_FOUND: Fetched = { kind: 'none', reason: 'HTTP 404', absent: true };
const STALE: Fetched = { kind: 'none', reason: 'stale (40 s old)', absent: false };

/** The mesh as this watcher polls it: every peer up and announced up, except `changes`. */
function round(changes: Record<string, Partial<QuorumPeer>> = {}): QuorumPeer[] {
  return ADDRESSES.map((a) => ({ url: url(a), up: true, state: UP, last: UP, answered: true, ...changes[a] }));
}
const dead = (): Partial<QuorumPeer> => ({ up: false, state: DOWN, answered: false });

function setup(views: FakeViews, rule: { kind: 'majority' } | { kind: 'count'; k: number } = { kind: 'majority' }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-'));
  const clock = { ms: 1_764_950_000_000 };
  const lines: string[] = [];
  const quorum = new Quorum({
    self: SELF,
    rule,
    roundS: 3,
    viewFile: path.join(dir, 'view.json'),
    views,
    now: () => clock.ms,
    stderr: (b) => lines.push(b.toString()),
  });
  const view = () => {
    const reading = parseView(readFileSync(path.join(dir, 'view.json')), clock.ms / 1000);
    if (reading.kind !== 'view') throw new Error(reading.reason);
    return reading.view;
  };
  return { quorum, clock, lines, view, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every other node's view answers `answer`; `peer` dies: this watcher's first decision. */
async function oneDies(answer: Fetched, peer: string) {
  const views = new FakeViews(everyPeer(answer));
  const s = setup(views);
  return { views, s, d: await s.quorum.decide(round({ [peer]: dead() })) };
}

test('a quiet mesh fetches nothing; the view says every peer up and announced', async () => {
  const views = new FakeViews();
  const s = setup(views);
  s.quorum.startRound();
  assert.equal(s.view().peers.size, 0, 'an empty view at start-up');
  const d = await s.quorum.decide(round());
  assert.equal([d.announce.size, d.record.size, d.isolation], [0, 0, undefined]);
  assert.equal(views.requests, []);
  const v = s.view();
  assert.is(v.node, SELF);
  assert.is(v.roundS, 3);
  assert.equal(v.peers.get('192.0.2.2'), { up: true, state: UP, since: s.clock.ms / 1000, announced: true });
  s.done();
});

test('a node dies, this watcher ranks first for it: confirmed by the first 3 views, announced, view updated', async () => {
  const agree = viewOf('x', { '192.0.2.2': { up: false, state: DOWN, announced: false } });
  const views = new FakeViews(everyPeer(agree));
  const s = setup(views);
  const peers = round({ '192.0.2.2': dead() });
  const d = await s.quorum.decide(peers);
  assert.equal([...d.announce], [[0, { agree: 4, of: 7 }]]);
  assert.equal(views.requests, ['192.0.2.4', '192.0.2.5', '192.0.2.8']);
  assert.equal(s.view().peers.get('192.0.2.2'), { up: false, state: DOWN, since: s.clock.ms / 1000, announced: false });
  s.quorum.written([peers[0] as QuorumPeer]);
  assert.is(s.view().peers.get('192.0.2.2')?.announced, true, 'rewritten at once after the delivery');
  s.done();
});

test('third in the ranking: watches the first one round after round, records what it announced', async () => {
  const views = new FakeViews({ '192.0.2.2': viewOf('.2', { '192.0.2.5': { up: false, state: DOWN, announced: false } }) });
  const s = setup(views);
  const peers = round({ '192.0.2.5': dead() });
  let d = await s.quorum.decide(peers);
  assert.equal([d.announce.size, d.record.size], [0, 0]);
  assert.equal(views.requests, ['192.0.2.2'], 'one view a round while waiting');
  s.clock.ms += 1100;
  views.answers['192.0.2.2'] = viewOf('.2', { '192.0.2.5': { up: false, state: DOWN, announced: true } });
  d = await s.quorum.decide(peers);
  assert.equal([...d.record], [3]);
  assert.equal(d.announce.size, 0);
  assert.match(s.lines.join(''), 'quorum: announced by \x1b[37m192.0.2.2');
  s.done();
});

test('take-over: the two ranked before it are dead watchers (fresh old views): it sends after 2 rounds of round_s', async () => {
  const old = viewOf('old', { '192.0.2.5': { up: true, state: UP, announced: true } });
  const sees = viewOf('live', { '192.0.2.5': { up: false, state: DOWN, announced: false } });
  const views = new FakeViews({
    '192.0.2.2': old,
    '192.0.2.3': old,
    '192.0.2.6': sees,
    '192.0.2.7': sees,
    '192.0.2.4': sees,
    '192.0.2.8': sees,
  });
  const s = setup(views);
  const peers = round({ '192.0.2.5': dead() });
  const start = s.clock.ms;
  for (const elapsed of [0, 2999, 3000, 5999]) {
    s.clock.ms = start + elapsed;
    views.requests = [];
    const d = await s.quorum.decide(peers);
    assert.is(d.announce.size, 0, `at ${elapsed} ms`);
    assert.equal(views.requests, ['192.0.2.2'], `one view while waiting, at ${elapsed} ms`);
  }
  s.clock.ms = start + 6000;
  views.requests = [];
  const d = await s.quorum.decide(peers);
  assert.equal([...d.announce], [[3, { agree: 4, of: 7 }]]);
  // .2 and .3 first (did they announce it?), then the vote in ranking order: decided before .8.
  assert.equal(views.requests, ['192.0.2.2', '192.0.2.3', '192.0.2.6', '192.0.2.7', '192.0.2.4']);
  s.done();
});

test('one lossy link: the others still see the peer up, nothing is announced (one line, once)', async () => {
  const fine = viewOf('x', { '192.0.2.2': { up: true, state: UP, announced: true } });
  const views = new FakeViews(everyPeer(fine));
  const s = setup(views);
  for (let r = 0; r < 3; r++) {
    s.clock.ms += 3000;
    const d = await s.quorum.decide(round({ '192.0.2.2': dead() }));
    assert.equal([d.announce.size, d.record.size], [0, 0]);
  }
  const said = s.lines.join('').split('not confirmed yet').length - 1;
  assert.is(said, 1);
  assert.match(s.lines.join(''), '(1 of 7 agree), kept pending: http://192.0.2.2:5988 up:1/1:200 -> down:0/0:000');
  s.done();
});

test('isolation: no peer answers: one line naming this node, nothing announced; back: nothing at all', async () => {
  const views = new FakeViews();
  const s = setup(views);
  const cut = round(Object.fromEntries(ADDRESSES.map((a) => [a, dead()])));
  let d = await s.quorum.decide(cut);
  assert.is(d.isolation, '192.0.2.1 cannot reach 7 of 7 peers: its own network may be down');
  assert.equal([d.announce.size, d.record.size], [0, 0]);
  assert.equal(views.requests, [], 'nobody answered: no view to ask for');
  d = await s.quorum.decide(cut);
  assert.is(d.isolation, '192.0.2.1 cannot reach 7 of 7 peers: its own network may be down', 'not delivered yet: again');
  s.quorum.isolationSaid();
  s.clock.ms += 60_000;
  d = await s.quorum.decide(cut);
  assert.equal([d.isolation, d.announce.size, d.record.size], [undefined, 0, 0], 'said once per episode, even past the take-over time');
  d = await s.quorum.decide(round());
  assert.equal([d.isolation, d.announce.size, d.record.size], [undefined, 0, 0], 'the state files still say up');
  d = await s.quorum.decide(cut);
  assert.ok(d.isolation, 'a new episode');
  s.done();
});

test('not isolated while one answering peer serves a fresh view (majority); QUORUM=3 needs two', async () => {
  const sees = viewOf('x', Object.fromEntries(ADDRESSES.map((a) => [a, { up: false, state: DOWN, announced: false }])));
  const peers = round(Object.fromEntries(ADDRESSES.slice(0, 5).map((a) => [a, dead()])));
  const majority = setup(new FakeViews({ '192.0.2.7': sees, '192.0.2.8': sees }));
  const d = await majority.quorum.decide(peers);
  assert.is(d.isolation, undefined);
  majority.done();
  const three = setup(new FakeViews({ '192.0.2.7': sees, '192.0.2.8': STALE }), { kind: 'count', k: 3 });
  assert.ok((await three.quorum.decide(peers)).isolation);
  three.done();
});

test('mixed cluster: the other nodes answer /view with 404: not counted, not waited for; this watcher alerts alone', async () => {
  // Peer .5: this watcher is third among all, but .2 and .3 serve no view: once their 404s
  // are in, it is first among those that do, and alone.
  const { views, s, d } = await oneDies(NOT_FOUND, '192.0.2.5');
  assert.equal([...d.announce], [[3, { agree: 1, of: 1 }]]);
  assert.equal(views.requests, ['192.0.2.2', '192.0.2.3', '192.0.2.6', '192.0.2.7', '192.0.2.4', '192.0.2.8']);
  views.requests = [];
  s.quorum.written([]);
  const again = await s.quorum.decide(round({ '192.0.2.5': dead(), '192.0.2.2': dead() }));
  assert.equal(
    [...again.announce].map(([i]) => i),
    [0, 3],
  );
  assert.equal(views.requests, [], '404s are remembered: no request');
  s.done();
});

test('malformed and stale views are no votes', async () => {
  const { s, d } = await oneDies(STALE, '192.0.2.2');
  // First for .2, every other view unusable: 1 of 1.
  assert.equal([...d.announce], [[0, { agree: 1, of: 1 }]]);
  s.done();
});

test("silences: the view carries this node's own; each fresh view fetched hands its writer's on", async () => {
  const silenced = new Map([['192.0.2.5', { untilMs: 1_764_953_600_000, reason: 'upgrade' }]]);
  const agree = viewOf('x', { '192.0.2.2': { up: false, state: DOWN, announced: false } });
  if (agree.kind !== 'view') throw new Error('a view');
  const theirs: Fetched = { kind: 'view', view: { ...agree.view, node: '192.0.2.4', silences: silenced } };
  const views = new FakeViews({ ...everyPeer(agree), '192.0.2.4': theirs });
  const seen: Array<[string, number]> = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-'));
  const quorum = new Quorum({
    self: SELF,
    rule: { kind: 'majority' },
    roundS: 3,
    viewFile: path.join(dir, 'view.json'),
    views,
    silences: {
      own: () => new Map([['192.0.2.8', { untilMs: 1_764_953_600_000, reason: 'mine' }]]),
      seen: (node, s) => seen.push([node, s.size]),
    },
    now: () => 1_764_950_000_000,
    stderr: () => undefined,
  });
  await quorum.decide(round({ '192.0.2.2': dead() }));
  assert.equal(seen, [
    ['192.0.2.4', 1],
    ['x', 0],
    ['x', 0],
  ]);
  assert.match(readFileSync(path.join(dir, 'view.json'), 'utf8'), '"silences":{"192.0.2.8":{"until":1764953600,"reason":"mine"}}');
  rmSync(dir, { recursive: true, force: true });
});

test('fresh start (no state files): one decision per peer, recorded from views already fetched', async () => {
  const announced = viewOf('x', Object.fromEntries([SELF, ...ADDRESSES].map((a) => [a, { up: true, state: UP, announced: true }])));
  const views = new FakeViews(everyPeer(announced));
  const s = setup(views);
  const d = await s.quorum.decide(round(Object.fromEntries(ADDRESSES.map((a) => [a, { last: '' }]))));
  assert.equal(d.record.size, 7);
  assert.ok(views.requests.length <= 7, `${views.requests.length} requests`);
  s.done();
});

test.run();
