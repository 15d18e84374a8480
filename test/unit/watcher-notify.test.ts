// D5 outcomes of a Telegram notification, with the HTTP client replaced by a script (no network
// at all; the client itself is tested in test/unit/http-client.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classify, Notifier, parseTelegramAnswer, writesState, type NotifyOutcome } from '../../src/watcher/notify.ts';
import type { Reply, SendOptions } from '../../src/http/client.ts';

const SEND_URL = 'https://api.telegram.org/bot123:abc/sendMessage';
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

/** The client's side: each request takes the next scripted reply (none left: the test fails). */
const requests: SendOptions[] = [];
const script: Reply[] = [];
function reply(status: number, json: unknown): Reply {
  return { status, body: Buffer.from(JSON.stringify(json)), truncated: false, elapsedNs: 1000n };
}
function failure(code: number, message: string): Reply {
  return {
    status: 0,
    body: Buffer.alloc(0),
    truncated: false,
    failure: { code, message },
    error: `curl: (${code}) ${message}`,
    elapsedNs: 0n,
  };
}
async function fakeSend(options: SendOptions): Promise<Reply> {
  requests.push(options);
  const next = script.shift();
  assert.ok(next, 'a request with no scripted reply');
  return next as Reply;
}

function notifier(now = () => Date.now(), timeoutMs = 2000): Notifier {
  return new Notifier({ token: '123:abc', chatId: '-100', timeoutMs, now, send: fakeSend });
}

async function send(n: Notifier): Promise<{ outcome: NotifyOutcome; stderr: string }> {
  const { value, stderr } = await captureStderr(() => n.notify(MESSAGE));
  return { outcome: value, stderr };
}

test.before.each(() => {
  requests.length = 0;
  script.length = 0;
});

test('200 ok:true: delivered, state written; exact body and content type', async () => {
  script.push(reply(200, { ok: true, result: {} }));
  const { outcome, stderr } = await send(notifier());
  assert.is(requests.length, 1);
  assert.is(requests[0]?.url, SEND_URL);
  assert.is(requests[0]?.method, 'POST');
  assert.is(requests[0]?.body?.toString(), BODY);
  assert.equal(requests[0]?.headers, [['Content-Type', 'application/x-www-form-urlencoded']]);
  assert.is(requests[0]?.timeoutMs, 2000);
  assert.is(outcome.kind, 'delivered');
  assert.ok(writesState(outcome));
  assert.is(stderr, `notify message: ${MESSAGE}\n`);
});

test('network error: curl-like line, notify failed, state kept; rest of round postponed', async () => {
  script.push(failure(7, "Failed to connect to api.telegram.org port 443 after 3 ms: Couldn't connect to server"));
  const n = notifier();
  const { outcome, stderr } = await send(n);
  assert.is(outcome.kind, 'failed');
  assert.not.ok(writesState(outcome));
  assert.match(stderr, /^curl: \(7\) Failed to connect to api\.telegram\.org port 443 after \d+ ms: Couldn't connect to server\n/);
  assert.match(stderr, `notify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
  const again = await send(n); // same round: no request (the script has none)
  assert.is(again.outcome.kind, 'postponed');
  assert.is(again.stderr, `notify postponed: ${MESSAGE}\n`);
  n.startRound();
  script.push(reply(200, { ok: true }));
  assert.is((await send(n)).outcome.kind, 'delivered');
  assert.is(script.length, 0);
});

test('timeout: failed, state kept', async () => {
  script.push(failure(28, 'Operation timed out after 100 milliseconds with 0 bytes received'));
  const { outcome, stderr } = await send(notifier(Date.now, 100));
  assert.is(requests[0]?.timeoutMs, 100);
  assert.is(outcome.kind, 'failed');
  assert.match(stderr, /^curl: \(28\) /);
});

test('500: failed, state kept, status and description logged', async () => {
  script.push(reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' }));
  const { outcome, stderr } = await send(notifier());
  assert.is(outcome.kind, 'failed');
  assert.not.ok(writesState(outcome));
  assert.is(stderr, `notify failed: Telegram answered HTTP 500: Internal Server Error: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
});

test('429 + retry_after: nothing is sent before retry_after has passed', async () => {
  let clock = 1_000_000;
  const n = notifier(() => clock);
  script.push(reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }));
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
  script.push(reply(200, { ok: true }));
  assert.is((await send(n)).outcome.kind, 'delivered');
  assert.is(script.length, 0);
});

for (const [status, description] of [
  [400, 'Bad Request: chat not found'],
  [401, 'Unauthorized'],
  [403, 'Forbidden: bot was blocked by the user'],
  [404, 'Not Found'],
] as const) {
  test(`${status}: rejected for good, error names status and description, state written`, async () => {
    script.push(reply(status, { ok: false, error_code: status, description }));
    const n = notifier();
    const { outcome, stderr } = await send(n);
    assert.is(outcome.kind, 'rejected');
    assert.ok(writesState(outcome));
    assert.is(
      stderr,
      `notify rejected by Telegram (HTTP ${status}: ${description}), not retried: ${MESSAGE}\nnotify message: ${MESSAGE}\n`,
    );
    // A rejection does not hold back the next alert of the round.
    script.push(reply(200, { ok: true }));
    assert.is((await send(n)).outcome.kind, 'delivered');
  });
}

test("TG_TOKEN with a space: curl (3) and the originals' lines, no request, state written", async () => {
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
