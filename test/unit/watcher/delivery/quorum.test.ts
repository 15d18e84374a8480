// QUORUM's policy around a delivery (src/watcher/delivery/quorum.ts): what the wrapped delivery
// is handed (announced with the agreement, pending changes as they were, recorded ones as they
// are), what the round writes, the isolation line, the counter for METRICS_FILE, the digest
// without its "lost" line, and Alertmanager's `confirmed` label.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AlertmanagerDelivery } from '../../../../src/watcher/delivery/alertmanager.ts';
import type { AlertmanagerAlert } from '../../../../src/watcher/delivery/alertmanager-api.ts';
import { deliverRound, type Delivery, type Handled, type RoundPeer } from '../../../../src/watcher/delivery/delivery.ts';
import { DigestDelivery } from '../../../../src/watcher/delivery/digest.ts';
import { QuorumDelivery, type Said } from '../../../../src/watcher/delivery/quorum.ts';
import type { Fetched } from '../../../../src/watcher/quorum/fetch.ts';
import { Quorum, type ViewSource } from '../../../../src/watcher/quorum/quorum.ts';
import { parseView } from '../../../../src/watcher/quorum/view.ts';

// Rankings (ranking.ts) for the mesh 192.0.2.1-8 seen from 192.0.2.1, .2 and .5 not answering:
// first for .2, second for .5 (after .3).
const SELF = '192.0.2.1';
const url = (i: number) => `http://192.0.2.${i}:5988`;
const UP = 'up:1/1:200';
const DOWN = 'down:0/0:000';

function peer(i: number, state: string, last: string): RoundPeer {
  const up = state.startsWith('up:');
  return {
    url: url(i),
    up,
    message: `${up ? 'OK  ' : 'FAIL'}: ${url(i)} [${state.split(':')[1]}]`,
    state,
    last,
    changed: state !== last,
    answered: !state.endsWith(':000'),
    lastWrittenMs: () => 1000,
  };
}

/** Every other watcher's view: it sees .2 and .5 down, nothing announced. */
const seesDown: Fetched = {
  kind: 'view',
  view: {
    node: 'x',
    at: 1,
    roundS: 3,
    peers: new Map([
      ['192.0.2.2', { up: false, state: DOWN, since: 1, announced: false }],
      ['192.0.2.5', { up: false, state: DOWN, since: 1, announced: false }],
    ]),
  },
};

function views(answer: (address: string) => Fetched): ViewSource & { requests: number } {
  const v = {
    requests: 0,
    startRound: () => undefined,
    servesNoView: () => false,
    fetch: async (address: string) => (v.requests++, answer(address)),
  };
  return v;
}

/** A wrapped delivery that records what it is handed and writes every changed peer. */
function recorder(): Delivery & { seen: RoundPeer[] } {
  const d = {
    seen: [] as RoundPeer[],
    startRound: () => undefined,
    peer: (p: RoundPeer): Handled[] => (d.seen.push(p), p.changed ? [{ written: [p], notifications: ['delivered'] }] : []),
    endRound: () => [],
  };
  return d;
}

/** `answers`: how the isolation lines go, in turn (then delivered). */
function setup(inner: Delivery, source: ViewSource & { requests: number }, answers: Said[] = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'quorum-delivery-'));
  const viewFile = path.join(dir, 'view.json');
  const quorum = new Quorum({ self: SELF, rule: { kind: 'majority' }, roundS: 3, viewFile, views: source, stderr: () => undefined });
  const lines: string[] = [];
  const delivery = new QuorumDelivery(
    inner,
    quorum,
    async (text) => (lines.push(text), answers.shift() ?? { done: true, notification: 'delivered' }),
    () => source.requests,
  );
  const view = () => {
    const r = parseView(readFileSync(viewFile), Date.now() / 1000);
    if (r.kind !== 'view') throw new Error(r.reason);
    return r.view;
  };
  return { delivery, lines, view, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const mesh = (changes: Record<number, [string, string]>) => [2, 3, 4, 5, 6, 7, 8].map((i) => peer(i, ...(changes[i] ?? [UP, UP])));

test('announced with the agreement; a change not its turn handed over as it was; the rest as they are', async () => {
  const inner = recorder();
  const s = setup(
    inner,
    views(() => seesDown),
  );
  const peers = mesh({ 2: [DOWN, UP], 5: [DOWN, UP] });
  const result = await deliverRound(s.delivery, peers);
  assert.equal(result, { written: [0], notifications: ['delivered'] });
  assert.is(inner.seen.length, 7, 'every peer is handed over, in order');
  assert.equal(inner.seen[0], { ...peers[0], message: `FAIL: ${url(2)} [0/0] (4 of 6 agree)` });
  // .5: second in its ranking, first round: as it was before (up, its state file's state).
  assert.equal(
    { ...inner.seen[3], lastWrittenMs: undefined },
    { ...peers[3], up: true, state: UP, message: `OK  : ${url(5)} [1/1]`, changed: false, lastWrittenMs: undefined },
  );
  assert.equal(inner.seen[1], peers[1]);
  assert.is(s.view().peers.get('192.0.2.2')?.announced, true, 'the view says it at once');
  assert.is(s.view().peers.get('192.0.2.5')?.announced, false);
  assert.equal(s.delivery.counters(), [
    {
      name: 'sentinella_quorum_view_requests_total',
      help: 'Views (GET /view) this watcher asked other watchers for since it started (QUORUM).',
      value: 4,
    },
  ]);
  s.done();
});

test('recorded when a view shows it announced: written as a step of its own, not handed over as a change', async () => {
  const announced: Fetched = {
    kind: 'view',
    view: {
      ...(seesDown as { view: { node: string; at: number; roundS: number } }).view,
      peers: new Map([['192.0.2.5', { up: false, state: DOWN, since: 1, announced: true }]]),
    },
  };
  const inner = recorder();
  const s = setup(
    inner,
    views(() => announced),
  );
  const peers = mesh({ 5: [DOWN, UP] });
  const steps: Handled[] = [];
  const result = await deliverRound(s.delivery, peers, (h) => steps.push(h));
  assert.equal(result, { written: [3], notifications: [] });
  assert.equal(steps[0], { written: [peers[3]], notifications: [] });
  assert.equal(inner.seen[3]?.changed, false);
  s.done();
});

test('a recovery still pending is handed over as the FAIL it was (Alertmanager keeps posting it), with the confirmed label', async () => {
  const posts: AlertmanagerAlert[][] = [];
  const am = new AlertmanagerDelivery({
    urls: ['http://am'],
    reporter: SELF,
    labels: { confirmed: 'majority' },
    holdMs: 60_000,
    postOptions: { timeoutMs: 1000 },
    stderr: () => undefined,
    now: () => 5000,
    post: async (_u, alerts) => (posts.push([...alerts]), { delivered: true, failures: [] }),
  });
  // Every other watcher still sees .5 down: its recovery is not confirmed.
  const s = setup(
    am,
    views(() => seesDown),
  );
  const peers = mesh({ 5: ['up:0/0:200', 'down:0/0:000'] });
  const result = await deliverRound(s.delivery, peers);
  assert.equal(result.written, []);
  assert.equal(posts.length, 1);
  assert.equal(
    posts[0]?.map((a) => [a.labels, a.annotations.summary, a.endsAt]),
    [
      [
        { alertname: 'SentinellaPeerDown', peer: url(5), reporter: SELF, confirmed: 'majority' },
        `FAIL: ${url(5)} [0/0]`,
        new Date(65_000).toISOString(),
      ],
    ],
  );
  s.done();
});

test('isolated: the line once (again while not delivered), nothing handed over as a change; the digest has no "lost" line', async () => {
  const sent: string[] = [];
  const outbox = { startRound: () => false, deliver: async (text: string) => (sent.push(text), 'delivered' as const) };
  const digest = new DigestDelivery(null, outbox);
  const s = setup(
    digest,
    views(() => seesDown),
    [{ done: false, notification: 'retried' }],
  );
  const cut = [2, 3, 4, 5, 6, 7, 8].map((i) => peer(i, DOWN, UP));
  const rounds = [];
  for (let round = 0; round < 3; round++) rounds.push(await deliverRound(s.delivery, cut));
  assert.equal(
    rounds.map((r) => [r.written, r.notifications]),
    [
      [[], ['retried']],
      [[], ['delivered']],
      [[], []],
    ],
  );
  assert.equal(s.lines, [
    '192.0.2.1 cannot reach 7 of 7 peers: its own network may be down',
    '192.0.2.1 cannot reach 7 of 7 peers: its own network may be down',
  ]);
  assert.equal(sent, [], 'the digest had nothing to send');
  // Most peers down and confirmed (one answers): the digest of confirmed changes has no "lost" line.
  await deliverRound(digest, [2, 3, 4, 5, 6, 7].map((i) => peer(i, DOWN, UP)).concat(peer(8, UP, UP)));
  assert.is(sent.length, 1);
  assert.not.match(sent[0] ?? '', 'lost');
  s.done();
});

test.run();
