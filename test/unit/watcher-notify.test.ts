// D5 outcomes of a Telegram notification, with Telegram mocked by nock (no network at all).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import nock from 'nock';
import { classify, Notifier, parseTelegramAnswer, writesState, type NotifyOutcome } from '../../src/watcher/notify.ts';

// nock 15's interceptors call Promise.withResolvers, which Node 20 lacks (Node >= 22 has it).
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const API = 'https://api.telegram.org';
const PATH = '/bot123:abc/sendMessage';
const MESSAGE = 'FAIL: http://127.0.0.4:5988 [0/0]';
const BODY = 'chat_id=-100&text=FAIL%3A+http%3A%2F%2F127.0.0.4%3A5988+%5B0%2F0%5D';

/** Runs fn with stderr captured; returns what was written (escape sequences stripped). */
async function captureStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { value, stderr: out.replace(/\x1b\[[0-9]+m/g, '') };
  } finally {
    process.stderr.write = original;
  }
}

function notifier(now = () => Date.now(), timeoutMs = 2000): Notifier {
  return new Notifier({ token: '123:abc', chatId: '-100', timeoutMs, now });
}

async function send(n: Notifier): Promise<{ outcome: NotifyOutcome; stderr: string }> {
  const { value, stderr } = await captureStderr(() => n.notify(MESSAGE));
  return { outcome: value, stderr };
}

test.before(() => nock.disableNetConnect());
test.after(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
test.after.each(() => nock.cleanAll());

test('200 ok:true: delivered, state written; exact body and content type', async () => {
  const scope = nock(API)
    .post(PATH, BODY)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, { ok: true, result: {} });
  const { outcome, stderr } = await send(notifier());
  assert.ok(scope.isDone());
  assert.is(outcome.kind, 'delivered');
  assert.ok(writesState(outcome));
  assert.is(stderr, `notify message: ${MESSAGE}\n`);
});

test('network error: curl-like line, notify failed, state kept; rest of round postponed', async () => {
  nock(API).post(PATH).replyWithError(Object.assign(new Error('connect ECONNREFUSED 149.154.167.220:443'), { code: 'ECONNREFUSED', syscall: 'connect' }));
  const n = notifier();
  const { outcome, stderr } = await send(n);
  assert.is(outcome.kind, 'failed');
  assert.not.ok(writesState(outcome));
  assert.match(stderr, /^curl: \(7\) Failed to connect to api\.telegram\.org port 443 after \d+ ms: Couldn't connect to server\n/);
  assert.match(stderr, `notify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
  const again = await send(n); // same round: no request (nock would refuse one)
  assert.is(again.outcome.kind, 'postponed');
  assert.is(again.stderr, `notify postponed: ${MESSAGE}\n`);
  n.startRound();
  const scope = nock(API).post(PATH, BODY).reply(200, { ok: true });
  assert.is((await send(n)).outcome.kind, 'delivered');
  assert.ok(scope.isDone());
});

test('timeout: failed, state kept', async () => {
  nock(API).post(PATH).delay(1000).reply(200, { ok: true });
  const { outcome, stderr } = await send(notifier(Date.now, 100));
  assert.is(outcome.kind, 'failed');
  assert.match(stderr, /^curl: \(28\) /);
});

test('500: failed, state kept, status and description logged', async () => {
  nock(API).post(PATH).reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
  const { outcome, stderr } = await send(notifier());
  assert.is(outcome.kind, 'failed');
  assert.not.ok(writesState(outcome));
  assert.is(stderr, `notify failed: Telegram answered HTTP 500: Internal Server Error: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
});

test('429 + retry_after: nothing is sent before retry_after has passed', async () => {
  let clock = 1_000_000;
  const n = notifier(() => clock);
  nock(API)
    .post(PATH)
    .reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
  const first = await send(n);
  assert.is(first.outcome.kind, 'failed');
  assert.not.ok(writesState(first.outcome));
  assert.match(first.stderr, 'notify failed: Telegram answered HTTP 429: Too Many Requests: retry after 7, nothing sent for 7s: ');
  for (const advance of [1000, 3000, 2999]) {
    n.startRound();
    clock += advance; // still inside the 7 s
    const r = await send(n);
    assert.is(r.outcome.kind, 'postponed');
    assert.not.ok(writesState(r.outcome));
  }
  n.startRound();
  clock += 1;
  const scope = nock(API).post(PATH, BODY).reply(200, { ok: true });
  assert.is((await send(n)).outcome.kind, 'delivered');
  assert.ok(scope.isDone());
});

for (const [status, description] of [
  [400, 'Bad Request: chat not found'],
  [401, 'Unauthorized'],
  [403, 'Forbidden: bot was blocked by the user'],
  [404, 'Not Found'],
] as const) {
  test(`${status}: rejected for good, error names status and description, state written`, async () => {
    nock(API).post(PATH).reply(status, { ok: false, error_code: status, description });
    const n = notifier();
    const { outcome, stderr } = await send(n);
    assert.is(outcome.kind, 'rejected');
    assert.ok(writesState(outcome));
    assert.is(stderr, `notify rejected by Telegram (HTTP ${status}: ${description}), not retried: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
    // A rejection does not hold back the next alert of the round.
    nock(API).post(PATH).reply(200, { ok: true });
    assert.is((await send(n)).outcome.kind, 'delivered');
  });
}

test('TG_TOKEN with a space: curl (3) and the originals\' lines, no request, state written', async () => {
  const n = new Notifier({ token: '123:abc ', chatId: '-100', timeoutMs: 2000 });
  const { value, stderr } = await captureStderr(() => n.notify(MESSAGE));
  assert.is(value.kind, 'rejected');
  assert.ok(writesState(value));
  assert.is(stderr, `curl: (3) URL using bad/illegal format or missing URL\nnotify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
});

test('classify: 200 without ok:true, 408, 3xx retried; unknown 4xx rejected', () => {
  assert.is(classify(parseTelegramAnswer(200, Buffer.from('{"ok":false}'))), 'retry');
  assert.is(classify(parseTelegramAnswer(200, Buffer.from('not json'))), 'retry');
  assert.is(classify(parseTelegramAnswer(408, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramAnswer(302, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramAnswer(503, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramAnswer(413, Buffer.alloc(0))), 'rejected');
  assert.equal(parseTelegramAnswer(429, Buffer.from('{"ok":false,"parameters":{"retry_after":3}}')).retryAfterSec, 3);
});

test.run();
