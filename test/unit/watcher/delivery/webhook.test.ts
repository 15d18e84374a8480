// WEBHOOK_URLS (src/watcher/delivery/webhook.ts, webhook-api.ts) and channels side by side
// (channel-memory.ts), against loopback servers: what is posted, what each answer means (D5's
// no-loss rule, as for Telegram), and Telegram (TG_API_URL at the fake Bot API over http) beside
// webhooks with no channel getting a change twice.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startFakeTelegram } from '../../../../scripts/lib/telegram.ts';
import { readWatcherEnv, type Environment } from '../../../../src/env.ts';
import type { Reply } from '../../../../src/http/client.ts';
import { ChannelMemory, sideBySide } from '../../../../src/watcher/delivery/channel-memory.ts';
import { deliverRound, type Delivery, type Handled, type RoundPeer } from '../../../../src/watcher/delivery/delivery.ts';
import { deliveryFor } from '../../../../src/watcher/delivery/for-config.ts';
import { webhookBody, webhookName, webhookPayload, webhookResult } from '../../../../src/watcher/delivery/webhook-api.ts';
import { WebhookDelivery } from '../../../../src/watcher/delivery/webhook.ts';
import { inTempDir } from '../../../support/temp.ts';

const ESC = /\x1b\[[0-9;]*m/g;

/** A peer of a round (state `<up|down>:1/1:200`); `last` its remembered state. */
function peer(n: number, up: boolean, last: string): RoundPeer {
  const url = `http://10.0.0.${n}:5988`;
  const state = `${up ? 'up' : 'down'}:${up ? 1 : 0}/1:200`;
  return {
    url,
    up,
    message: up ? `OK  : ${url} [1/1]` : `FAIL: ${url} [0/1] \u2014 http://svc.test/(500)`,
    state,
    last,
    changed: state !== last,
    answered: true,
    lastWrittenMs: () => undefined,
  };
}
const UP = 'up:1/1:200';
const DOWN = 'down:0/1:200';

type Answer = { readonly status: number; readonly body?: string; readonly trickleMs?: number } | 'close';

interface Hook {
  readonly url: string;
  readonly requests: Array<{ path: string; type: string; json: Record<string, unknown> }>;
  answers: Answer[];
  close(): Promise<void>;
}

/** A webhook receiver on loopback: the i-th request gets answers[i], then 200 `ok`. */
async function hookServer(answers: Answer[] = []): Promise<Hook> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const hook: Hook = { url: '', requests: [], answers, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hook.requests.push({
        path: req.url ?? '',
        type: String(req.headers['content-type']),
        json: JSON.parse(body) as Record<string, unknown>,
      });
      const answer = hook.answers.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'close') return void req.socket.destroy();
      const bytes = Buffer.from(answer.body ?? '');
      res.writeHead(answer.status, { 'Content-Length': bytes.length });
      if (answer.trickleMs === undefined) return void res.end(bytes);
      // The status line and headers now, then the body one byte every trickleMs.
      res.flushHeaders();
      let sent = 0;
      const timer = setInterval(() => res.write(bytes.subarray(sent, ++sent)), answer.trickleMs);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
  });
  server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(hook, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0/B0/secret`,
    close: () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  });
}

function collect(): { lines: string[]; stderr: (bytes: Buffer | string) => void } {
  const lines: string[] = [];
  return {
    lines,
    stderr: (bytes) =>
      lines.push(
        ...String(bytes)
          .replace(ESC, '')
          .split('\n')
          .filter((l) => l !== ''),
      ),
  };
}

function webhook(url: string, stderr: (bytes: Buffer | string) => void, timeoutMs = 2000): WebhookDelivery {
  return new WebhookDelivery({ url, name: webhookName(url, 0), reporter: '10.0.0.9', postOptions: { timeoutMs }, stderr });
}

const reply = (status: number, kind: 'complete' | 'failed' = 'complete', body = ''): Reply =>
  kind === 'complete'
    ? { kind, status, body: Buffer.from(body), truncated: false, elapsedNs: 0n }
    : { kind, status, body: Buffer.from(body), truncated: false, elapsedNs: 0n, failure: { code: 28 } as never, error: 'curl: (28) x' };

test('webhookResult: 2xx delivered (a cut body too); 4xx but 408/429 refused; the rest failed', () => {
  assert.equal(webhookResult(reply(200)), { kind: 'delivered' });
  assert.equal(webhookResult(reply(204)), { kind: 'delivered' });
  assert.equal(webhookResult(reply(200, 'failed')), { kind: 'delivered' }, 'the status line said 2xx');
  assert.equal(webhookResult(reply(0, 'failed')), { kind: 'failed', reason: 'curl: (28) x' });
  assert.equal(webhookResult(reply(400, 'complete', 'invalid_payload\n')), { kind: 'refused', reason: 'HTTP 400 invalid_payload' });
  assert.equal(webhookResult(reply(404, 'complete', 'no_service')), { kind: 'refused', reason: 'HTTP 404 no_service' });
  assert.equal(webhookResult(reply(413)), { kind: 'refused', reason: 'HTTP 413' });
  for (const status of [301, 408, 429, 500, 503]) assert.is(webhookResult(reply(status)).kind, 'failed', String(status));
  assert.equal(webhookResult(reply(502, 'complete', 'a\n  b')), { kind: 'failed', reason: 'HTTP 502 a b' });
});

test('the payload: text (the §6.6c line), peer, state, up, reporter; UTF-8 JSON, a byte that is not UTF-8 as U+FFFD', () => {
  const p = peer(2, false, UP);
  assert.equal(JSON.parse(webhookBody(webhookPayload(p, '10.0.0.9')).toString('utf8')), {
    text: 'FAIL: http://10.0.0.2:5988 [0/1] \u2014 http://svc.test/(500)',
    peer: 'http://10.0.0.2:5988',
    state: 'down:0/1:200',
    up: false,
    reporter: '10.0.0.9',
  });
  const odd = webhookBody(webhookPayload({ ...p, message: 'FAIL: http://x/\udce9 \u2014 \u{1F525}' }, 'me'));
  assert.is((JSON.parse(odd.toString('utf8')) as { text: string }).text, 'FAIL: http://x/\ufffd \u2014 \u{1F525}');
  assert.ok(odd.includes(Buffer.from('\u2014 \u{1F525}', 'utf8')), 'UTF-8 as is');
  assert.is(webhookName('https://u:p@hooks.slack.com/services/T0/B0/XXXX?x=1', 1), 'webhook 2 (https://hooks.slack.com)');
});

test("a webhook: 2xx written; 500 kept and the round's next change postponed, both sent next round", async () => {
  const hook = await hookServer([{ status: 500, body: 'oops' }]);
  const { lines, stderr } = collect();
  try {
    const d = webhook(hook.url, stderr);
    const peers = () => [peer(1, false, UP), peer(2, true, UP), peer(3, true, '')];
    assert.equal(await deliverRound(d, peers()), { written: [], notifications: ['retried', 'postponed'] });
    assert.is(hook.requests.length, 1, 'nothing more after the failure this round');
    assert.equal(await deliverRound(d, peers()), { written: [0, 2], notifications: ['delivered', 'delivered'] });
    assert.equal(
      hook.requests.map((r) => [r.path, r.type, r.json.text, r.json.peer, r.json.state, r.json.up, r.json.reporter]),
      [
        ['/hooks/T0/B0/secret', 'application/json', peer(1, false, UP).message, 'http://10.0.0.1:5988', DOWN, false, '10.0.0.9'],
        ['/hooks/T0/B0/secret', 'application/json', peer(1, false, UP).message, 'http://10.0.0.1:5988', DOWN, false, '10.0.0.9'],
        ['/hooks/T0/B0/secret', 'application/json', 'OK  : http://10.0.0.3:5988 [1/1]', 'http://10.0.0.3:5988', UP, true, '10.0.0.9'],
      ],
    );
    const name = webhookName(hook.url, 0);
    assert.is(name, `webhook 1 (${new URL(hook.url).origin})`);
    assert.equal(lines, [
      `${name}: notify failed (HTTP 500 oops), retried next round: ${peer(1, false, UP).message}`,
      `${name}: notify postponed: OK  : http://10.0.0.3:5988 [1/1]`,
      `${name}: notify message: ${peer(1, false, UP).message}`,
      `${name}: notify message: OK  : http://10.0.0.3:5988 [1/1]`,
    ]);
  } finally {
    await hook.close();
  }
});

test('a webhook: 400 logged with the reason and written (not retried); 429 and a reset kept', async () => {
  const hook = await hookServer([{ status: 400, body: 'invalid_payload' }, { status: 429, body: 'rate_limited' }, 'close']);
  const { lines, stderr } = collect();
  try {
    const d = webhook(hook.url, stderr);
    assert.equal(await deliverRound(d, [peer(1, false, UP)]), { written: [0], notifications: ['rejected'] });
    assert.equal(await deliverRound(d, [peer(2, false, UP)]), { written: [], notifications: ['retried'] });
    assert.equal(await deliverRound(d, [peer(2, false, UP)]), { written: [], notifications: ['retried'] });
    assert.equal(await deliverRound(d, [peer(2, false, UP)]), { written: [0], notifications: ['delivered'] });
    const name = webhookName(hook.url, 0);
    assert.is(lines[0], `${name}: notify rejected (HTTP 400 invalid_payload), not retried: ${peer(1, false, UP).message}`);
    assert.is(lines[1], `${name}: notify failed (HTTP 429 rate_limited), retried next round: ${peer(2, false, UP).message}`);
    assert.match(
      lines[2] ?? '',
      `${name}: notify failed (curl: (52) Empty reply from server), retried next round: FAIL: http://10.0.0.2:5988`,
    );
    assert.is(hook.requests.length, 4);
  } finally {
    await hook.close();
  }
  // Nothing listens: curl's line, kept.
  const closed = collect();
  const d = webhook('http://127.0.0.1:1/x', closed.stderr);
  assert.equal(await deliverRound(d, [peer(1, false, UP)]), { written: [], notifications: ['retried'] });
  assert.match(
    closed.lines[0] ?? '',
    /^webhook 1 \(http:\/\/127\.0\.0\.1:1\): notify failed \(curl: \(7\) Failed to connect to 127\.0\.0\.1 port 1/,
  );
});

test('a webhook: a 2xx status line whose body trickles past TIMEOUT is delivered; a 500 cut so is not (D5)', async () => {
  const hook = await hookServer([
    { status: 200, body: 'ok, slowly', trickleMs: 200 },
    { status: 500, body: 'error, slowly', trickleMs: 200 },
  ]);
  const { lines, stderr } = collect();
  try {
    const d = webhook(hook.url, stderr, 500);
    const started = Date.now();
    assert.equal(await deliverRound(d, [peer(1, false, UP)]), { written: [0], notifications: ['delivered'] });
    const ms = Date.now() - started;
    assert.ok(ms >= 450 && ms < 1500, `ended by TIMEOUT (500 ms): ${ms} ms`);
    assert.equal(await deliverRound(d, [peer(2, false, UP)]), { written: [], notifications: ['retried'] });
    assert.match(lines[1] ?? '', /notify failed \(HTTP 500[ a-z]*\), retried next round/);
  } finally {
    await hook.close();
  }
});

/** The watcher's configuration for these variables (STATE_DIR a temporary directory). */
function configOf(env: Environment, stateDir: string) {
  return readWatcherEnv({ PEERS_DNS: 'peers.test', SELF: '10.0.0.9', TIMEOUT: '2', STATE_DIR: stateDir, ...env });
}

test('Telegram (TG_API_URL at the fake Bot API, http) beside a webhook: kept until both took it, never twice to either', async () => {
  await inTempDir('webhook-test', async (stateDir) => {
    const telegram = await startFakeTelegram({ port: 0, answers: [] });
    const hook = await hookServer();
    const { lines, stderr } = collect();
    try {
      const config = configOf(
        { TG_TOKEN: '123:abc', TG_CHAT_ID: '-100', TG_API_URL: `http://127.0.0.1:${telegram.port}/`, WEBHOOK_URLS: hook.url },
        stateDir,
      );
      const d = deliveryFor(config, stderr);
      const texts = () => telegram.requests.map((r) => r.text);
      const posted = () => hook.requests.map((r) => r.json.text);
      const FAIL1 = peer(1, false, UP).message;
      const OK1 = peer(1, true, DOWN).message;

      // Round 1: peer 1 goes down; Telegram answers 500, the webhook takes it: not written.
      telegram.setAnswers([{ kind: 'error', status: 500, description: 'Internal Server Error' }]);
      assert.equal(await deliverRound(d, [peer(1, false, UP)]), { written: [], notifications: ['retried', 'delivered'] });
      assert.is(telegram.requests[0]?.path, '/bot123:abc/sendMessage', 'TG_API_URL, its trailing slash dropped');
      // Round 2: Telegram takes it; the webhook is not posted again; now written.
      assert.equal(await deliverRound(d, [peer(1, false, UP)]), { written: [0], notifications: ['delivered'] });
      assert.equal([texts(), posted()], [[FAIL1, FAIL1], [FAIL1]]);

      // Round 3: peer 1 back up; the webhook refuses (500), Telegram takes it: not written.
      hook.answers.push({ status: 500 });
      assert.equal(await deliverRound(d, [peer(1, true, DOWN)]), { written: [], notifications: ['delivered', 'retried'] });
      // Round 4: down again before the webhook took the OK: Telegram hears FAIL (it heard OK), the
      // webhook hears nothing (for it, the peer never came back); the state file already says down.
      assert.equal(await deliverRound(d, [peer(1, false, DOWN)]), { written: [], notifications: ['delivered'] });
      assert.equal(
        [texts(), posted()],
        [
          [FAIL1, FAIL1, OK1, FAIL1],
          [FAIL1, OK1],
        ],
      );

      // Round 5: up, and Telegram fails this time: the webhook takes the OK, then Telegram next round.
      telegram.setAnswers([{ kind: 'error', status: 502, description: 'Bad Gateway' }]);
      assert.equal(await deliverRound(d, [peer(1, true, DOWN)]), { written: [], notifications: ['retried', 'delivered'] });
      assert.equal(await deliverRound(d, [peer(1, true, DOWN)]), { written: [0], notifications: ['delivered'] });
      // Round 7: written, nothing changed: nothing to anyone.
      assert.equal(await deliverRound(d, [peer(1, true, UP)]), { written: [], notifications: [] });
      assert.equal(
        [texts(), posted()],
        [
          [FAIL1, FAIL1, OK1, FAIL1, OK1, OK1],
          [FAIL1, OK1, OK1],
        ],
      );
      assert.is(lines.filter((l) => l.startsWith('notify message: ')).length, 6, "Telegram's lines are the originals'");
      assert.is(lines.filter((l) => l.includes(': notify message: ')).length, 2, 'the webhook took 2 of its 3 posts');
    } finally {
      await telegram.close();
      await hook.close();
    }
  });
});

test('WEBHOOK_URLS alone (no TG_TOKEN): two hooks, one down for a round: the other never gets the change twice', async () => {
  await inTempDir('webhook-test', async (stateDir) => {
    const [a, b] = [await hookServer(), await hookServer(['close'])];
    const { stderr } = collect();
    try {
      const d = deliveryFor(configOf({ WEBHOOK_URLS: `${a.url} ${b.url}` }, stateDir), stderr);
      const peers = () => [peer(1, false, UP), peer(2, true, '')];
      // a takes both; b resets the first, so the second waits (postponed): nothing written.
      assert.equal(await deliverRound(d, peers()), { written: [], notifications: ['delivered', 'retried', 'delivered', 'postponed'] });
      // Next round b takes both; a is not posted again.
      assert.equal(await deliverRound(d, peers()), { written: [0, 1], notifications: ['delivered', 'delivered'] });
      const url = (n: number) => `http://10.0.0.${n}:5988`;
      assert.equal(
        a.requests.map((r) => r.json.peer),
        [url(1), url(2)],
      );
      assert.equal(
        b.requests.map((r) => r.json.peer),
        [url(1), url(1), url(2)],
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});

test("one webhook alone is the WebhookDelivery itself; no webhook, the originals' delivery; SPAM=1 repeats to every channel", async () => {
  await inTempDir('webhook-test', (stateDir) => {
    assert.instance(
      deliveryFor(configOf({ WEBHOOK_URLS: 'http://127.0.0.1:1/a' }, stateDir), () => undefined),
      WebhookDelivery,
    );
    assert.is(deliveryFor(configOf({ TG_TOKEN: 't', TG_CHAT_ID: 'c' }, stateDir), () => undefined).constructor.name, 'PerChangeDelivery');
    const { lines, stderr } = collect();
    const half = deliveryFor(configOf({ TG_TOKEN: 't', WEBHOOK_URLS: 'http://127.0.0.1:1/a' }, stateDir), stderr);
    assert.instance(half, WebhookDelivery);
    assert.equal(lines, ['TG_TOKEN is set but TG_CHAT_ID is not: nothing is sent to Telegram, changes go to WEBHOOK_URLS only']);
  });
  // SPAM=1: no memory, every channel gets every change every round (a plain Deliveries).
  const sent: string[] = [];
  const channel = (name: string): Delivery => ({
    startRound: () => undefined,
    peer: (p) => (p.changed ? (sent.push(`${name} ${p.url}`), [{ written: [p], notifications: ['delivered' as const] }]) : []),
    endRound: () => [],
  });
  const spam = sideBySide([channel('a'), channel('b')], true);
  const same = { ...peer(1, true, UP), changed: true };
  await deliverRound(spam, [same]);
  await deliverRound(spam, [same]);
  assert.equal(sent, ['a http://10.0.0.1:5988', 'b http://10.0.0.1:5988', 'a http://10.0.0.1:5988', 'b http://10.0.0.1:5988']);
});

test('ChannelMemory: a held (end of round) channel sees its own last state; each peer said at most once a round', async () => {
  const handed: Array<[string, string, boolean]> = [];
  let accept = false;
  const held: Delivery = (() => {
    let peers: RoundPeer[] = [];
    return {
      startRound: () => void (peers = []),
      peer: (p) => (handed.push([p.url, p.last, p.changed]), peers.push(p), []),
      endRound: (): Handled[] => {
        const changed = peers.filter((p) => p.changed);
        // Says a peer twice: the memory passes it on once.
        return accept && changed.length > 0 ? [{ written: [...changed, ...changed], notifications: ['delivered'] }] : [];
      },
    };
  })();
  const m = new ChannelMemory(held);
  accept = true;
  let r = await deliverRound(m, [peer(1, false, UP)]);
  assert.equal(r.written, [0]);
  // The round did not write it (another channel refused): the channel sees its own `down` as last.
  r = await deliverRound(m, [peer(1, false, UP)]);
  assert.equal(r, { written: [0], notifications: [] }, 'said written at once, nothing sent');
  assert.equal(handed, [
    ['http://10.0.0.1:5988', UP, true],
    ['http://10.0.0.1:5988', DOWN, false],
  ]);
  // Back up before the state file said down: the channel hears OK (it announced FAIL).
  r = await deliverRound(m, [{ ...peer(1, true, UP) }]);
  assert.equal(r, { written: [0], notifications: ['delivered'] });
  assert.equal(handed.at(-1), ['http://10.0.0.1:5988', DOWN, true]);
  // Its memory agrees with the state file now: as if alone.
  r = await deliverRound(m, [peer(1, true, UP)]);
  assert.equal([r, handed.at(-1)], [{ written: [], notifications: [] }, ['http://10.0.0.1:5988', UP, false]]);
});

test.run();
