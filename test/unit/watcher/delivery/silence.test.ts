// The silence policy (src/watcher/delivery/silence.ts, docs/behaviour.md §10 "Silences") over
// the originals' delivery (one Telegram message per change, a stand-in outbox), the digest,
// Alertmanager and two channels side by side (channel-memory.ts), in rounds as watcher.ts runs
// them: a peer's state is written only when the delivery says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AlertmanagerAlert } from '../../../../src/watcher/delivery/alertmanager-api.ts';
import { AlertmanagerDelivery } from '../../../../src/watcher/delivery/alertmanager.ts';
import { deliverRound, type Delivery, type RoundPeer } from '../../../../src/watcher/delivery/delivery.ts';
import { DigestDelivery } from '../../../../src/watcher/delivery/digest.ts';
import { sideBySide } from '../../../../src/watcher/delivery/channel-memory.ts';
import { PerChangeDelivery } from '../../../../src/watcher/delivery/per-change.ts';
import { SilencePolicy, silencePolicy } from '../../../../src/watcher/delivery/silence.ts';
import { renderSilences, ViewSilences, type Silence } from '../../../../src/watcher/silences.ts';
import type { TelegramOutbox } from '../../../../src/watcher/telegram/outbox.ts';

const T = Date.UTC(2026, 11, 5, 12, 0, 0); // 2026-12-05T12:00:00Z
const MIN = 60_000;
const url = (n: number): string => `http://10.0.0.${n}:5988`;

/** What a peer shows in a round: up, down (500 from its check), or down without an answer (000). */
type Shown = 'up' | 'down' | 'gone';

/** The channels of a rig: Telegram's outbox given, each channel behind the policy's gate. */
type Channels = (outbox: TelegramOutbox, policy: SilencePolicy) => Delivery;
const telegramOnly: Channels = (outbox, policy) => policy.gate(new PerChangeDelivery(outbox));
/** One channel of the rig's, behind the gate. */
const one =
  (channel: (outbox: TelegramOutbox) => Delivery): Channels =>
  (outbox, policy) =>
    policy.gate(channel(outbox));

/** A watcher's rounds over `channels`, the policy around them: state files, sent texts, log lines. */
function rig(channels: Channels = telegramOnly, spam = false) {
  const stateFiles = new Map<string, string>();
  const sent: string[] = [];
  const lines: string[] = [];
  const clock = { now: T };
  const silences = { own: new Map<string, Silence>(), others: new Map<string, Silence>() };
  const outbox = { startRound: () => false, deliver: async (text: string) => (sent.push(text), 'delivered' as const) };
  const policy = new SilencePolicy(
    { own: () => silences.own, others: () => silences.others },
    (bytes) => lines.push(String(bytes).replace(/\x1b\[[0-9;]*m/g, '')),
    () => clock.now,
  );
  const delivery = policy.around(channels(outbox as unknown as TelegramOutbox, policy));
  const peerOf = (n: number, shown: Shown): RoundPeer => {
    const state = { up: 'up:1/1:200', down: 'down:0/1:200', gone: 'down:0/0:000' }[shown];
    const last = stateFiles.get(url(n)) ?? '';
    const message = { up: `OK  : ${url(n)} [1/1]`, down: `FAIL: ${url(n)} [0/1] \u2014 http://svc/(500)`, gone: `FAIL: ${url(n)} [0/0]` }[
      shown
    ];
    const changed = state !== last || spam;
    return { url: url(n), up: shown === 'up', message, state, last, changed, answered: shown !== 'gone', lastWrittenMs: () => undefined };
  };
  /** One round; returns what it sent and logged. */
  const round = async (...shown: Shown[]) => {
    const sentBefore = sent.length;
    const linesBefore = lines.length;
    await deliverRound(
      delivery,
      shown.map((s, i) => peerOf(i + 1, s)),
      (handled) => {
        for (const p of handled.written) stateFiles.set(p.url, p.state);
      },
    );
    clock.now += MIN;
    return { sent: sent.slice(sentBefore), lines: lines.slice(linesBefore) };
  };
  const silence = (n: number, minutes: number, reason = '') =>
    silences.own.set(`10.0.0.${n}`, { untilMs: clock.now + minutes * MIN, reason });
  return { round, silence, silences, stateFiles, clock };
}

test("no silence: every change passes, not one line more (stderr is the originals')", async () => {
  const r = rig();
  assert.equal(await r.round('up', 'up'), { sent: [`OK  : ${url(1)} [1/1]`, `OK  : ${url(2)} [1/1]`], lines: [] });
  assert.equal(await r.round('down', 'up'), { sent: [`FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)`], lines: [] });
  assert.equal(await r.round('down', 'up'), { sent: [], lines: [] });
  // A silence of a peer not polled changes nothing for the others.
  r.silence(9, 30);
  assert.equal(await r.round('up', 'up'), { sent: [`OK  : ${url(1)} [1/1]`], lines: ['silence of 10.0.0.9 until 2026-12-05T12:33:00Z\n'] });
});

test('a change during a silence is held: nothing sent, the state file keeps what was announced, one line', async () => {
  const r = rig();
  await r.round('up', 'up');
  r.silence(1, 10, 'kernel upgrade');
  assert.equal(await r.round('down', 'down'), {
    sent: [`FAIL: ${url(2)} [0/1] \u2014 http://svc/(500)`],
    lines: [
      'silence of 10.0.0.1 until 2026-12-05T12:11:00Z: kernel upgrade\n',
      `silenced until 2026-12-05T12:11:00Z (kernel upgrade): FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)\n`,
    ],
  });
  assert.is(r.stateFiles.get(url(1)), 'up:1/1:200');
  assert.is(r.stateFiles.get(url(2)), 'down:0/1:200');
  // The same state held again: no new line.
  assert.equal(await r.round('down', 'down'), { sent: [], lines: [] });
  // Another state held: one line for it.
  assert.equal(await r.round('gone', 'down'), {
    sent: [],
    lines: [`silenced until 2026-12-05T12:11:00Z (kernel upgrade): FAIL: ${url(1)} [0/0]\n`],
  });
  assert.is(r.stateFiles.get(url(1)), 'up:1/1:200');
});

test('the silence ends: the latest state is announced once, if it differs from the last announced', async () => {
  const r = rig();
  await r.round('up', 'up');
  r.silence(1, 3);
  r.silence(2, 3);
  await r.round('down', 'down'); // 12:01
  await r.round('gone', 'up'); // 12:02: peer 2 back where it was announced
  assert.equal(await r.round('gone', 'up'), { sent: [], lines: [] }); // 12:03
  // 12:04: both silences over. Peer 1: its latest state only, once; peer 2: nothing to say.
  assert.equal(await r.round('gone', 'up'), {
    sent: [`FAIL: ${url(1)} [0/0]`],
    lines: ['silence of 10.0.0.1 ended\n', 'silence of 10.0.0.2 ended\n'],
  });
  assert.is(r.stateFiles.get(url(1)), 'down:0/0:000');
  assert.equal(await r.round('gone', 'up'), { sent: [], lines: [] });
});

test('unsilence (gone from the file): lifted, the held change announced in that round', async () => {
  const r = rig();
  await r.round('up');
  r.silence(1, 60);
  await r.round('down');
  r.silences.own.delete('10.0.0.1');
  assert.equal(await r.round('down'), { sent: [`FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)`], lines: ['silence of 10.0.0.1 lifted\n'] });
});

test('a silence extended: said again with its new end; a change held across it', async () => {
  const r = rig();
  await r.round('up');
  r.silence(1, 2);
  await r.round('down');
  r.silence(1, 30, 'longer');
  assert.equal(await r.round('down'), { sent: [], lines: ['silence of 10.0.0.1 until 2026-12-05T12:32:00Z: longer\n'] });
});

test('SPAM=1: nothing sent for a silenced peer, one line; after the silence, every round again', async () => {
  const r = rig(undefined, true);
  await r.round('up', 'up');
  r.silence(1, 2);
  assert.equal(await r.round('up', 'up'), {
    sent: [`OK  : ${url(2)} [1/1]`],
    lines: ['silence of 10.0.0.1 until 2026-12-05T12:03:00Z\n', `silenced until 2026-12-05T12:03:00Z: OK  : ${url(1)} [1/1]\n`],
  });
  assert.equal((await r.round('up', 'up')).sent, [`OK  : ${url(2)} [1/1]`]);
  assert.equal(await r.round('up', 'up'), {
    sent: [`OK  : ${url(1)} [1/1]`, `OK  : ${url(2)} [1/1]`],
    lines: ['silence of 10.0.0.1 ended\n'],
  });
});

test("silences from other nodes (QUORUM views) are honoured like this node's; the one that ends last wins", async () => {
  const r = rig();
  await r.round('up');
  r.silences.others.set('10.0.0.1', { untilMs: T + 5 * MIN, reason: 'set on 10.0.0.7' });
  r.silence(1, 1);
  const held = await r.round('down');
  assert.equal(held, {
    sent: [],
    lines: [
      'silence of 10.0.0.1 until 2026-12-05T12:05:00Z: set on 10.0.0.7\n',
      `silenced until 2026-12-05T12:05:00Z (set on 10.0.0.7): FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)\n`,
    ],
  });
});

test('a reason with backslashes is logged as given (log lines go through printf %b)', async () => {
  const r = rig();
  await r.round('up');
  r.silence(1, 5, 'C:\\new \\c end');
  assert.equal((await r.round('up')).lines, ['silence of 10.0.0.1 until 2026-12-05T12:06:00Z: C:\\new \\c end\n']);
});

test("digest: a silenced peer's change is left out of the digest, the others go out", async () => {
  const r = rig(one((outbox) => new DigestDelivery('10.0.0.9', outbox)));
  await r.round('up', 'up', 'up');
  r.silence(2, 5);
  const { sent } = await r.round('down', 'down', 'up');
  assert.equal(sent, [`FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)`]);
  assert.is(r.stateFiles.get(url(2)), 'up:1/1:200');
});

test('Alertmanager: an alert firing before the silence keeps firing through a held change; none fires or resolves meanwhile', async () => {
  const posts: string[][] = [];
  const r = rig(
    one(
      () =>
        new AlertmanagerDelivery({
          urls: ['http://am'],
          reporter: '10.0.0.9',
          holdMs: 4 * MIN,
          post: async (_urls, alerts: readonly AlertmanagerAlert[]) => {
            const resolved = new Date(T).toISOString(); // endsAt = now; a firing alert ends later
            posts.push(alerts.map((a) => `${a.labels.peer} ${a.endsAt === resolved ? 'resolved' : 'firing'}: ${a.annotations.summary}`));
            return { delivered: true, failures: [] };
          },
          postOptions: { timeoutMs: 1000 },
          now: () => T,
          stderr: () => undefined,
        }),
    ),
  );
  await r.round('down', 'up', 'down');
  assert.equal(posts.splice(0), [
    [`${url(1)} firing: FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)`, `${url(3)} firing: FAIL: ${url(3)} [0/1] \u2014 http://svc/(500)`],
  ]);
  r.silence(1, 5);
  r.silence(2, 5);
  r.silence(3, 5);
  // 1: still down, another state (held, its alert kept firing); 2: up to down (held, no
  // alert); 3: down to up (held: not resolved while silenced).
  await r.round('gone', 'down', 'up');
  await r.round('gone', 'down', 'up');
  assert.equal(posts.splice(0), [[`${url(1)} firing: FAIL: ${url(1)} [0/0]`], [`${url(1)} firing: FAIL: ${url(1)} [0/0]`]]);
  assert.equal(
    [1, 2, 3].map((n) => r.stateFiles.get(url(n))),
    ['down:0/1:200', 'up:1/1:200', 'down:0/1:200'],
  );
});

test('a held state is never written, even by a delivery that writes every peer it is given', async () => {
  const writeAll: Delivery = {
    startRound: () => undefined,
    peer: (p) => [{ written: [p], notifications: [] }],
    endRound: () => [],
  };
  const r = rig(one(() => writeAll));
  await r.round('down');
  r.silence(1, 5);
  await r.round('gone');
  assert.is(r.stateFiles.get(url(1)), 'down:0/1:200');
});

test('two channels side by side: a change one took before the silence is not completed, nor a new one let through, until it ends', async () => {
  const hook = { fail: false, got: [] as string[] };
  const webhook: Delivery = {
    startRound: () => undefined,
    peer: (p) => {
      if (!p.changed) return [];
      if (hook.fail) return [{ written: [], notifications: ['retried'] }];
      hook.got.push(p.message);
      return [{ written: [p], notifications: ['delivered'] }];
    },
    endRound: () => [],
  };
  const r = rig((outbox, policy) => sideBySide([policy.gate(new PerChangeDelivery(outbox)), policy.gate(webhook)], false));
  await r.round('down');
  hook.fail = true;
  // Telegram takes the OK, the webhook does not: the state file stays down, Telegram remembers up.
  assert.equal((await r.round('up')).sent, [`OK  : ${url(1)} [1/1]`]);
  assert.is(r.stateFiles.get(url(1)), 'down:0/1:200');
  r.silence(1, 3);
  hook.fail = false;
  // Down again, another state: for Telegram a change (it said up); for the webhook one it never saw.
  assert.equal((await r.round('gone')).sent, []);
  assert.equal((await r.round('up')).sent, []);
  assert.equal((await r.round('gone')).sent, []);
  assert.equal(hook.got, [`FAIL: ${url(1)} [0/1] \u2014 http://svc/(500)`]);
  assert.is(r.stateFiles.get(url(1)), 'down:0/1:200');
  r.silences.own.delete('10.0.0.1');
  // Lifted: each channel gets the state then, once.
  assert.equal((await r.round('gone')).sent, [`FAIL: ${url(1)} [0/0]`]);
  assert.equal(hook.got.slice(1), [`FAIL: ${url(1)} [0/0]`]);
  assert.is(r.stateFiles.get(url(1)), 'down:0/0:000');
  assert.equal(await r.round('gone'), { sent: [], lines: [] });
});

test("silencePolicy: STATE_DIR/silences.json and the views' silences (QUORUM seam); the view carries only this node's own", async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-silence-policy-'));
  try {
    const until = Date.now() + 3_600_000;
    fs.writeFileSync(path.join(stateDir, 'silences.json'), renderSilences(new Map([['10.0.0.1', { untilMs: until, reason: 'own' }]])));
    const sent: string[] = [];
    const outbox = { startRound: () => false, deliver: async (text: string) => (sent.push(text), 'delivered' as const) };
    const views = new ViewSilences();
    views.seen('10.0.0.7', new Map([['10.0.0.2', { untilMs: until, reason: 'from 10.0.0.7' }]]));
    const lines: string[] = [];
    const policy = silencePolicy(stateDir, (b) => lines.push(String(b)), views);
    const d = policy.around(policy.gate(new PerChangeDelivery(outbox as unknown as TelegramOutbox)));
    const down = (n: number): RoundPeer => ({
      url: url(n),
      up: false,
      message: `FAIL: ${url(n)} [0/0]`,
      state: 'down:0/0:000',
      answered: false,
      last: 'up:1/1:200',
      changed: true,
      lastWrittenMs: () => undefined,
    });
    const r = await deliverRound(d, [down(1), down(2), down(3)]);
    assert.equal(sent, [`FAIL: ${url(3)} [0/0]`]);
    assert.equal(r.written, [2]);
    assert.equal([...policy.ownActive.keys()], ['10.0.0.1']);
    assert.is(lines.filter((l) => l.includes('silenced until')).length, 2);
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});

test("wrappers pass on the wrapped delivery's METRICS_FILE counters (QUORUM's view requests): the policy, a gate, a channel's memory", () => {
  const counter = { name: 'sentinella_quorum_view_requests_total', help: 'h', value: 27 };
  const inner: Delivery = {
    startRound: () => {},
    peer: () => (async function* () {})(),
    endRound: () => (async function* () {})(),
    counters: () => [counter],
  };
  const policy = new SilencePolicy({ own: () => new Map(), others: () => new Map() }, () => {});
  assert.equal(policy.around(inner).counters?.(), [counter]);
  assert.equal(policy.gate(inner).counters?.(), [counter]);
  assert.equal(sideBySide([inner, inner], false).counters?.(), [counter, counter]);
});

test.run();
