// The opt-in deliveries of a round (src/watcher/delivery/): DIGEST=1's DigestDelivery
// (digest.ts), ALERTMANAGER_URLS's AlertmanagerDelivery over alertmanager-api.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alertFor, type AlertmanagerAlert } from '../../../../src/watcher/delivery/alertmanager-api.ts';
import { AlertmanagerDelivery } from '../../../../src/watcher/delivery/alertmanager.ts';
import { Deliveries, deliverRound, type Delivery, type Handled, type RoundPeer } from '../../../../src/watcher/delivery/delivery.ts';
import { DigestDelivery } from '../../../../src/watcher/delivery/digest.ts';
import type { TelegramOutcome } from '../../../../src/watcher/telegram/outbox.ts';

/** A polled peer of a round; `code` is the peer's HTTP code in its state, `writtenMs` when that state was written. */
function peer(n: number, up: boolean, last: string, changed = true, code = '200', writtenMs?: number): RoundPeer {
  const url = `http://10.0.0.${n}:5988`;
  return {
    url,
    up,
    message: `${up ? 'OK  ' : 'FAIL'}: ${url} [0/0]`,
    state: `${up ? 'up' : 'down'}:0/0:${code}`,
    last,
    changed,
    lastWrittenMs: () => writtenMs,
  };
}

/** A Telegram outbox that answers with `deliver`; counts the rounds it was told of. */
function outboxOf(deliver: (text: string) => Promise<TelegramOutcome>) {
  const outbox = { rounds: 0, startRound: () => (outbox.rounds++, false), deliver };
  return outbox;
}

/** The Alertmanager tests' peers: nothing answered (000), state written at 1 s. */
const amPeer = (n: number, up: boolean, last: string, changed: boolean): RoundPeer => peer(n, up, last, changed, '000', 1000);

test('digest delivery: one message per round, states written only for accepted messages', async () => {
  const sent: string[] = [];
  const answers: TelegramOutcome[] = ['failed', 'delivered'];
  const outbox = outboxOf(async (text) => {
    sent.push(text);
    return answers.shift() ?? 'delivered';
  });
  const d = new DigestDelivery('10.0.0.9', outbox);
  const peers = [peer(1, false, 'up:0/0:200'), peer(2, true, 'up:0/0:200', false), peer(3, false, 'up:0/0:200'), peer(4, true, '')];
  const r1 = await deliverRound(d, peers);
  assert.equal(r1, { written: [], notifications: ['retried'] });
  const r2 = await deliverRound(d, peers);
  assert.equal(r2, { written: [0, 2, 3], notifications: ['delivered'] });
  assert.is(sent.length, 2);
  assert.equal(sent[1]?.split('\n'), [
    'FAIL: http://10.0.0.1:5988 [0/0]',
    'FAIL: http://10.0.0.3:5988 [0/0]',
    'OK  : http://10.0.0.4:5988 [0/0]',
  ]);
  assert.equal(await deliverRound(d, [peer(1, false, 'down:0/0:200', false)]), { written: [], notifications: [] });
  assert.is(outbox.rounds, 3, "the outbox starts a round with every round (a failed text does not postpone the next round's)");
});

test('digest delivery: the lost line when this node sees most peers go down at once', async () => {
  const sent: string[] = [];
  const d = new DigestDelivery(
    '10.0.0.9',
    outboxOf(async (text) => (sent.push(text), 'delivered' as const)),
  );
  await deliverRound(d, [peer(1, false, 'up:0/0:200'), peer(2, false, 'up:0/0:200'), peer(3, true, 'up:0/0:200', false)]);
  assert.equal(sent[0]?.split('\n'), [
    '10.0.0.9 lost 2 of 3 peers at once: its own network may be down',
    'FAIL: http://10.0.0.1:5988 [0/0]',
    'FAIL: http://10.0.0.2:5988 [0/0]',
  ]);
});

test('alertmanager delivery: every down peer every round, resolved once, states only when taken', async () => {
  const logged: string[] = [];
  await alertmanagerRounds((bytes) => logged.push(String(bytes).replace(/\x1b\[[0-9;]*m/g, '')));
  assert.equal(logged, [
    'notify message: FAIL: http://10.0.0.1:5988 [0/0]\n',
    'alertmanager: http://a: x\n',
    'alertmanager: http://b: y\n',
    'notify failed: no Alertmanager took the alert, retried next round: OK  : http://10.0.0.1:5988 [0/0]\n',
    'notify message: OK  : http://10.0.0.1:5988 [0/0]\n',
  ]);
});

async function alertmanagerRounds(stderr: (bytes: Buffer | string) => void): Promise<void> {
  let now = 10_000;
  const posts: AlertmanagerAlert[][] = [];
  let accept = true;
  const d = new AlertmanagerDelivery({
    urls: ['http://a', 'http://b'],
    reporter: 'me',
    holdMs: 60_000,
    postOptions: { timeoutMs: 1000 },
    stderr,
    now: () => now,
    post: async (_urls, alerts) => (posts.push([...alerts]), { delivered: accept, failures: accept ? [] : ['http://a: x', 'http://b: y'] }),
  });
  // round 1: peer 1 turns down, peer 2 is new and up (no alert), peer 3 was down before a restart
  let r = await deliverRound(d, [amPeer(1, false, 'up:0/0:200', true), amPeer(2, true, '', true), amPeer(3, false, 'down:0/0:000', false)]);
  assert.equal(r, { written: [0, 1], notifications: ['delivered'] });
  assert.equal(
    posts[0]?.map((a) => [a.labels.peer, a.startsAt, a.endsAt]),
    [
      ['http://10.0.0.1:5988', new Date(10_000).toISOString(), new Date(70_000).toISOString()],
      ['http://10.0.0.3:5988', new Date(1000).toISOString(), new Date(70_000).toISOString()], // down since its state file
    ],
  );
  // round 2: nothing changed: posted again, startsAt kept, endsAt moved
  now = 20_000;
  r = await deliverRound(d, [
    amPeer(1, false, 'down:0/0:000', false),
    amPeer(2, true, 'up:0/0:000', false),
    amPeer(3, false, 'down:0/0:000', false),
  ]);
  assert.equal(r, { written: [], notifications: ['delivered'] });
  assert.equal(
    posts[1]?.map((a) => [a.startsAt, a.endsAt]),
    [
      [new Date(10_000).toISOString(), new Date(80_000).toISOString()],
      [new Date(1000).toISOString(), new Date(80_000).toISOString()],
    ],
  );
  // round 3: peer 1 recovers, no Alertmanager takes it: state unwritten, retried
  now = 30_000;
  accept = false;
  const recovering = () => [
    amPeer(1, true, 'down:0/0:000', true),
    amPeer(2, true, 'up:0/0:000', false),
    amPeer(3, false, 'down:0/0:000', false),
  ];
  r = await deliverRound(d, recovering());
  assert.equal(r, { written: [], notifications: ['retried'] });
  // round 4: taken: resolved with endsAt = now, startsAt the first time seen down
  now = 40_000;
  accept = true;
  r = await deliverRound(d, recovering());
  assert.equal(r, { written: [0], notifications: ['delivered'] });
  assert.equal(
    posts[3]?.[0],
    alertFor({
      peer: 'http://10.0.0.1:5988',
      reporter: 'me',
      summary: 'OK  : http://10.0.0.1:5988 [0/0]',
      startsAtMs: 10_000,
      endsAtMs: 40_000,
    }),
  );
  // round 5: peer 1 up and written: nothing more about it
  now = 50_000;
  await deliverRound(d, [amPeer(1, true, 'up:0/0:000', false), amPeer(3, false, 'down:0/0:000', false)]);
  assert.equal(
    posts[4]?.map((a) => a.labels.peer),
    ['http://10.0.0.3:5988'],
  );
  // nothing down, nothing changed: no post at all
  const quiet = posts.length;
  await deliverRound(d, [amPeer(1, true, 'up:0/0:000', false)]);
  assert.is(posts.length, quiet);
}

test('deliveries side by side: each peer to each in order; a state written once every delivery said so', async () => {
  const seen: string[] = [];
  /** Writes (and says delivered) the peers `takes` accepts: at once, or held for endRound. */
  const channel = (name: string, takes: (p: RoundPeer) => boolean, atEnd: boolean): Delivery => {
    let held: RoundPeer[] = [];
    const step = (peers: RoundPeer[]): Handled => ({ written: peers.filter(takes), notifications: peers.map(() => 'delivered' as const) });
    return {
      startRound: () => (held = []),
      peer: (p) => {
        seen.push(`${name} ${p.url}`);
        if (!p.changed) return [];
        if (atEnd) return (void held.push(p), []);
        return [step([p])];
      },
      endRound: () => (atEnd && held.length > 0 ? [step(held)] : []),
    };
  };
  const d = new Deliveries([channel('a', () => true, false), channel('b', (p) => !p.url.includes('.3:'), true)]);
  const peers = [peer(1, false, 'up:0/0:200'), peer(2, true, 'up:0/0:200', false), peer(3, false, 'up:0/0:200')];
  const steps: number[] = [];
  const r = await deliverRound(d, peers, (h) => steps.push(h.written.length));
  assert.equal(r, { written: [0], notifications: ['delivered', 'delivered', 'delivered', 'delivered'] });
  assert.equal(steps, [0, 0, 1], 'peer 1 written at the step of the last delivery that took it; peer 3 kept (b refused it)');
  assert.equal(seen, [
    'a http://10.0.0.1:5988',
    'b http://10.0.0.1:5988',
    'a http://10.0.0.2:5988',
    'b http://10.0.0.2:5988',
    'a http://10.0.0.3:5988',
    'b http://10.0.0.3:5988',
  ]);
  assert.equal((await deliverRound(d, [peers[2] as RoundPeer])).written, [], 'counts start again every round');
});

test.run();
