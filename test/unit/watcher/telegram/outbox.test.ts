// src/watcher/telegram/bot-api.ts (the sendMessage request, its form body, what Telegram's reply means)
// and the outbox over it (telegram/outbox.ts, D5): outcomes of a delivery, long texts (D32), migration
// (D33) and the order while throttled (D34), with Telegram mocked by nock (no network at all).
// nock intercepts node:https requests only, so the outbox sends over
// test/support/node-transport.ts (node:https, curl's error lines) instead of the port's raw-socket
// client; the same outbox over the real client is test/watcher/telegram*.test.ts (sandbox).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import nock from 'nock';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from '../../../../src/bytes.ts';
import { classify, formEncode, parseTelegramReply, telegramBody } from '../../../../src/watcher/telegram/bot-api.ts';
import { BLOCKED_LOG_EVERY_MS, TelegramOutbox, writesState, type TelegramOutcome } from '../../../../src/watcher/telegram/outbox.ts';
import { throttledOrder } from '../../../../src/watcher/delivery/per-change.ts';
import { fileChatIdMemory, migratedChatId, MIGRATION_FILE } from '../../../../src/watcher/telegram/chat-migration.ts';
import { fitMessage, formatMessage, TELEGRAM_TEXT_LIMIT } from '../../../../src/watcher/message.ts';
import { botApiReply, defaultBotApi } from '../../../../scripts/lib/telegram.ts';
import { nodeHttpsTransport } from '../../../support/node-transport.ts';
import { ended } from '../../../../src/http/client.ts';
import { timeoutFailure } from '../../../../src/compat/curl-errors.ts';

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

/** The outboxes' stderr (injected): what they wrote since the last captureStderr began. */
let written = '';
const collect = (bytes: Buffer | string): void => {
  written += typeof bytes === 'string' ? bytes : bytes.toString('utf8');
};

/** Runs fn; returns what the outbox wrote to its stderr meanwhile (escape sequences stripped). */
async function captureStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  written = '';
  const value = await fn();
  return { value, stderr: written.replace(/\x1b\[[0-9]+m/g, '') };
}

function notifier(
  now = () => Date.now(),
  timeoutMs = 2000,
  extra: Partial<ConstructorParameters<typeof TelegramOutbox>[0]> = {},
): TelegramOutbox {
  return new TelegramOutbox({ token: '123:abc', chatId: '-100', timeoutMs, now, transport: nodeHttpsTransport, stderr: collect, ...extra });
}

async function send(n: TelegramOutbox, message = MESSAGE): Promise<{ outcome: TelegramOutcome; stderr: string }> {
  const { value, stderr } = await captureStderr(() => n.deliver(message));
  return { outcome: value, stderr };
}

/** The texts one after another through deliver(), as a round sends them: one outcome per text. */
async function deliverEach(n: TelegramOutbox, texts: readonly string[]): Promise<TelegramOutcome[]> {
  const outcomes: TelegramOutcome[] = [];
  for (const text of texts) outcomes.push(await n.deliver(text));
  return outcomes;
}

const fail = (status: number, description: string, parameters?: object) => ({
  ok: false,
  error_code: status,
  description,
  ...(parameters ? { parameters } : {}),
});
const MESSAGE_RESULT = {
  ok: true,
  result: {
    message_id: 1,
    from: { id: 123, is_bot: true, first_name: 'S', username: 's_bot' },
    chat: { id: -100, type: 'group', title: 'alerts' },
    date: 1,
    text: MESSAGE,
  },
};

test.before(() => nock.disableNetConnect());
test.after(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
test.after.each(() => nock.cleanAll());

test('200 ok:true: delivered, state written; exact body and content type', async () => {
  const scope = nock(API).post(PATH, BODY).matchHeader('content-type', 'application/x-www-form-urlencoded').reply(200, MESSAGE_RESULT);
  const { outcome, stderr } = await send(notifier());
  assert.ok(scope.isDone());
  assert.is(outcome, 'delivered');
  assert.ok(writesState(outcome));
  assert.is(stderr, `notify message: ${MESSAGE}\n`);
});

test('network error: curl-like line, notify failed, state kept; rest of round postponed', async () => {
  nock(API)
    .post(PATH)
    .replyWithError(Object.assign(new Error('connect ECONNREFUSED 149.154.167.220:443'), { code: 'ECONNREFUSED', syscall: 'connect' }));
  const n = notifier();
  const { outcome, stderr } = await send(n);
  assert.is(outcome, 'failed');
  assert.not.ok(writesState(outcome));
  assert.match(stderr, /^curl: \(7\) Failed to connect to api\.telegram\.org port 443 after \d+ ms: Couldn't connect to server\n/);
  assert.match(stderr, `notify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
  const again = await send(n); // same round: no request (nock would refuse one)
  assert.is(again.outcome, 'postponed');
  assert.is(again.stderr, `notify postponed: ${MESSAGE}\n`);
  n.startRound();
  const scope = nock(API).post(PATH, BODY).reply(200, { ok: true });
  assert.is((await send(n)).outcome, 'delivered');
  assert.ok(scope.isDone());
});

test('timeout: failed, state kept', async () => {
  nock(API).post(PATH).delay(1000).reply(200, { ok: true });
  const { outcome, stderr } = await send(notifier(Date.now, 100));
  assert.is(outcome, 'failed');
  assert.match(stderr, /^curl: \(28\) /);
});

test("200 status line, body cut by the timeout: delivered (no resend), the originals' lines; other statuses cut: failed", async () => {
  // The Reply client.ts builds when its timer fires after the head arrived (status kept).
  const cutAfter = (status: number) => async () =>
    ended({ status, body: Buffer.from('{"ok'), truncated: false, elapsedNs: 0n }, timeoutFailure(1001, true, 4, 250));
  const line = 'curl: (28) Operation timed out after 1001 milliseconds with 4 out of 250 bytes received';
  const n = notifier(Date.now, 2000, { transport: cutAfter(200) });
  const first = await send(n);
  assert.is(first.outcome, 'delivered');
  assert.ok(writesState(first.outcome));
  assert.is(first.stderr, `${line}\nnotify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
  assert.is((await send(n, 'OK  : x')).outcome, 'delivered', 'the rest of the round is sent, not postponed');
  assert.is(n.startRound(), false, 'not throttled');
  const broken = notifier(Date.now, 2000, { transport: cutAfter(500) });
  const other = await send(broken);
  assert.is(other.outcome, 'failed');
  assert.is(other.stderr, `${line}\nnotify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
});

test('500: failed, state kept, status and description logged', async () => {
  nock(API).post(PATH).reply(500, { ok: false, error_code: 500, description: 'Internal Server Error' });
  const { outcome, stderr } = await send(notifier());
  assert.is(outcome, 'failed');
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
  assert.is(first.outcome, 'failed');
  assert.not.ok(writesState(first.outcome));
  assert.match(first.stderr, 'notify failed: Telegram answered HTTP 429: Too Many Requests: retry after 7, nothing sent for 7s: ');
  for (const advance of [1000, 3000, 2999]) {
    n.startRound();
    clock += advance; // still inside the 7 s
    const r = await send(n);
    assert.is(r.outcome, 'postponed');
    assert.not.ok(writesState(r.outcome));
  }
  n.startRound();
  clock += 1;
  const scope = nock(API).post(PATH, BODY).reply(200, { ok: true });
  assert.is((await send(n)).outcome, 'delivered');
  assert.ok(scope.isDone());
});

// ---- point 3: the bot or the chat (401, 403, 404, 400 about the chat)

for (const [status, description] of [
  [400, 'Bad Request: chat not found'],
  [401, 'Unauthorized'],
  [403, 'Forbidden: bot was kicked from the supergroup chat'],
  [403, 'Forbidden: bot was blocked by the user'],
  [404, 'Not Found'],
] as const) {
  test(`${status} ${description}: kept, one request a round, one error line per 10 minutes, all delivered once fixed`, async () => {
    let clock = 5_000_000;
    const n = notifier(() => clock);
    nock(API).post(PATH, BODY).reply(status, fail(status, description));
    const first = await send(n);
    assert.is(first.outcome, 'blocked');
    assert.not.ok(writesState(first.outcome), 'state not written');
    assert.is(
      first.stderr,
      `notify refused by Telegram (HTTP ${status}: ${description}): nothing can be sent until the bot or chat is fixed; alerts are kept and sent once it is: ${MESSAGE}\nnotify message: ${MESSAGE}\n`,
    );
    // The rest of the round: no request (nock would answer none), no line.
    const rest = await send(n, 'OK  : http://127.0.0.5:5988 [0/0]');
    assert.is(rest.outcome, 'postponed');
    assert.is(rest.stderr, '');
    // Later rounds, same cause: one request each, silent until 10 minutes have passed.
    for (let round = 0; round < 3; round++) {
      assert.ok(n.startRound(), 'a blocked chat throttles the round');
      clock += 60_000;
      const scope = nock(API).post(PATH, BODY).reply(status, fail(status, description));
      const r = await send(n);
      assert.ok(scope.isDone(), 'one request this round');
      assert.is(r.outcome, 'blocked');
      assert.is(r.stderr, '', 'no line within 10 minutes');
      assert.is((await send(n, 'OK  : http://127.0.0.5:5988 [0/0]')).outcome, 'postponed');
    }
    n.startRound();
    clock += BLOCKED_LOG_EVERY_MS;
    nock(API).post(PATH, BODY).reply(status, fail(status, description));
    assert.match((await send(n)).stderr, `notify refused by Telegram (HTTP ${status}: ${description})`, 'again after 10 minutes');
    // The operator fixes it: this round delivers everything.
    n.startRound();
    clock += 3000;
    const fixed = nock(API).post(PATH).times(2).reply(200, MESSAGE_RESULT);
    const ok = await send(n);
    assert.is(ok.outcome, 'delivered');
    assert.match(ok.stderr, `Telegram accepts messages again (was HTTP ${status}: ${description})`);
    assert.is((await send(n, 'OK  : http://127.0.0.5:5988 [0/0]')).outcome, 'delivered');
    assert.ok(fixed.isDone());
  });
}

test('another cause is logged at once, even within 10 minutes', async () => {
  let clock = 1_000;
  const n = notifier(() => clock);
  nock(API).post(PATH).reply(403, fail(403, 'Forbidden: bot was kicked from the supergroup chat'));
  await send(n);
  n.startRound();
  clock += 1000;
  nock(API).post(PATH).reply(401, fail(401, 'Unauthorized'));
  assert.match((await send(n)).stderr, 'notify refused by Telegram (HTTP 401: Unauthorized)');
});

test('400 message is too long: no retry can cure it; error names the description, state written', async () => {
  nock(API).post(PATH).reply(400, fail(400, 'Bad Request: message is too long'));
  const n = notifier();
  const { outcome, stderr } = await send(n);
  assert.is(outcome, 'rejected');
  assert.ok(writesState(outcome));
  assert.is(
    stderr,
    `notify rejected by Telegram (HTTP 400: Bad Request: message is too long), not retried: ${MESSAGE}\nnotify message: ${MESSAGE}\n`,
  );
  nock(API).post(PATH).reply(200, MESSAGE_RESULT);
  assert.is((await send(n)).outcome, 'delivered', 'does not hold back the next alert');
});

// ---- point 2: migration

test('migrate_to_chat_id: sent again to the new id at once, used from then on, remembered, warning names both ids', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notify-migration-'));
  try {
    const n = notifier(Date.now, 2000, { configuredChatId: '-100', memory: fileChatIdMemory(dir) });
    const scope = nock(API)
      .post(PATH, BODY)
      .reply(400, fail(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001557912345 }))
      .post(PATH, BODY.replace('chat_id=-100&', 'chat_id=-1001557912345&'))
      .reply(200, MESSAGE_RESULT);
    const { outcome, stderr } = await send(n);
    assert.ok(scope.isDone(), 'resent to the new id in the same delivery');
    assert.is(outcome, 'delivered');
    assert.is(
      stderr,
      `Telegram upgraded chat -100 to a supergroup with id -1001557912345: sending there; please set TG_CHAT_ID=-1001557912345\nnotify message: ${MESSAGE}\n`,
    );
    assert.equal(fs.readdirSync(dir), [MIGRATION_FILE], 'one file, no temporary file left');
    assert.not.match(MIGRATION_FILE, /\.state$/);
    assert.is(migratedChatId(dir, '-100'), '-1001557912345', 'remembered for a restart with the old TG_CHAT_ID');
    assert.is(migratedChatId(dir, '-1001557912345'), undefined, 'not applied once TG_CHAT_ID names the new id');
    assert.is(migratedChatId(dir, '-200'), undefined, 'not applied to another chat');
    const next = nock(API).post(PATH, BODY.replace('chat_id=-100&', 'chat_id=-1001557912345&')).reply(200, MESSAGE_RESULT);
    assert.is((await send(n)).outcome, 'delivered');
    assert.ok(next.isDone(), 'the next text goes to the new id');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---- point 4: the order while throttled

test('throttledOrder: FAIL before OK, oldest change first, peers order on ties', () => {
  const a = [
    { id: 'ok-old', up: true, since: 1 },
    { id: 'fail-new', up: false, since: 9 },
    { id: 'ok-new', up: true, since: 9 },
    { id: 'fail-old', up: false, since: 5 },
    { id: 'fail-old-2', up: false, since: 5 },
  ];
  assert.equal(
    throttledOrder(a).map((x) => x.id),
    ['fail-old', 'fail-old-2', 'fail-new', 'ok-old', 'ok-new'],
  );
});

test('startRound: throttled after an undelivered text, a running retry_after or a block; not when all went out', async () => {
  let clock = 1_000_000;
  const n = notifier(() => clock);
  assert.not.ok(n.startRound(), 'fresh: peers order');
  nock(API).post(PATH).reply(200, MESSAGE_RESULT);
  await send(n);
  assert.not.ok(n.startRound(), 'everything delivered: peers order');
  nock(API)
    .post(PATH)
    .reply(429, fail(429, 'Too Many Requests: retry after 5', { retry_after: 5 }));
  await send(n);
  assert.ok(n.startRound(), 'after a 429');
  clock += 6000;
  nock(API).post(PATH).reply(200, MESSAGE_RESULT);
  assert.is((await send(n)).outcome, 'delivered');
  assert.not.ok(n.startRound(), 'the retry_after passed and this round delivered all: peers order again');
  nock(API).post(PATH).reply(502, fail(502, 'Bad Gateway'));
  await send(n);
  assert.ok(n.startRound(), 'after an undelivered text');
  assert.not.ok(n.startRound(), 'a round with nothing undelivered: peers order again');
});

// ---- point 1: long texts

const evaluation = (failures: string[]) => ({ up: false, good: '0', total: String(failures.length), failures, shellErrors: [] });
const URL_ = 'http://127.0.0.4:5988';

test('fitMessage: a text that fits is unchanged', () => {
  const ev = evaluation(['http://svc.test/a(500)', 'http://svc.test/b(000)']);
  assert.is(fitMessage(URL_, ev), formatMessage(URL_, ev));
});

for (const [count, width, wide] of [
  [300, 40, false],
  [2000, 3, false],
  [150, 60, true],
  [1, 5000, false],
] as const) {
  test(`fitMessage: ${count} failures of ${width} chars${wide ? ' (astral characters)' : ''}: within 4096 UTF-16 units, head kept, rest summed up`, () => {
    const unit = wide ? '\u{1F525}' : 'x';
    const failures = Array.from({ length: count }, (_, i) => `http://svc.test/${String(i).padStart(4, '0')}${unit.repeat(width)}(500)`);
    const ev = evaluation(failures);
    const full = formatMessage(URL_, ev);
    assert.ok(full.length > TELEGRAM_TEXT_LIMIT);
    const text = fitMessage(URL_, ev);
    assert.ok(text.length <= TELEGRAM_TEXT_LIMIT, `length ${text.length}`);
    assert.ok(!/[\uD800-\uDBFF]$/.test(text), 'no half surrogate pair');
    const m = /^(.*) \u2026 and (\d+) more$/su.exec(text) ?? /^(.*\u2014 )\u2026 and (\d+) more$/su.exec(text);
    assert.ok(m, text.slice(-80));
    const keptText = (m?.[1] as string).replace(/ \u2014 ?$/, '');
    assert.ok(full.startsWith(keptText), 'the first part is the peer line as it is');
    const kept = keptText === `FAIL: ${URL_} [0/${count}]` ? 0 : (keptText.split(' \u2014 ')[1]?.split(' ').length ?? 0);
    assert.is(kept + Number(m?.[2]), count, 'kept + summed up = all failures');
    assert.ok(TELEGRAM_TEXT_LIMIT - text.length < width * 2 + 40, 'as much kept as fits');
  });
}

// ---- nock answering with the fake Bot API (scripts/lib/telegram.ts): points 1 and 4

/** nock answers every sendMessage as the fake Bot API would, on the given clock. */
function fakeBotApi(api = defaultBotApi(), clock = () => Date.now()) {
  const sent = new Map<string, number[]>();
  return nock(API)
    .persist()
    .post(/\/bot[^/]*\/sendMessage$/)
    .reply((uri, body) => {
      const { reply } = botApiReply(api, sent, uri, typeof body === 'string' ? body : JSON.stringify(body), clock());
      return [reply.status, reply.body, { 'Content-Type': reply.contentType }];
    });
}

test('fake Bot API: the full D4 text is refused as too long; the fitted one is accepted', async () => {
  fakeBotApi(defaultBotApi({ flood: false }));
  const failures = Array.from({ length: 120 }, (_, i) => `http://service-${i}.sentinella.test/health/check/endpoint(503)`);
  const ev = evaluation(failures);
  const n = notifier();
  const full = await send(n, formatMessage(URL_, ev));
  assert.is(full.outcome, 'rejected');
  assert.match(full.stderr, 'notify rejected by Telegram (HTTP 400: Bad Request: message is too long), not retried');
  const fitted = await send(n, fitMessage(URL_, ev));
  assert.is(fitted.outcome, 'delivered');
});

test('fake Bot API flood control (1 a second): unthrottled in peers order; throttled, the new FAIL goes first', async () => {
  let clock = 10_000_000;
  fakeBotApi(defaultBotApi(), () => clock);
  const n = notifier(() => clock);
  const ok = (p: number) => `OK  : http://127.0.0.${p}:5988 [0/0]`;
  const failD = 'FAIL: http://127.0.0.5:5988 [0/1]';
  assert.not.ok(n.startRound());
  const round1 = await captureStderr(() => deliverEach(n, [ok(2), ok(3), ok(4)]));
  assert.equal(round1.value, ['delivered', 'failed', 'postponed']);
  assert.match(round1.stderr, 'Too Many Requests: retry after 1, nothing sent for 1s');
  clock += 500;
  assert.ok(n.startRound(), 'throttled');
  assert.equal((await captureStderr(() => deliverEach(n, [ok(3), ok(4)]))).value, ['postponed', 'postponed'], 'within retry_after');
  clock += 600;
  assert.ok(n.startRound(), 'still throttled: the last round delivered nothing');
  const alerts = throttledOrder([
    { text: ok(3), up: true, since: 1 },
    { text: ok(4), up: true, since: 1 },
    { text: failD, up: false, since: 3 },
  ]);
  const round3 = await captureStderr(() =>
    deliverEach(
      n,
      alerts.map((a) => a.text),
    ),
  );
  assert.equal(
    alerts.map((a) => a.text),
    [failD, ok(3), ok(4)],
  );
  assert.equal(round3.value, ['delivered', 'failed', 'postponed'], 'the FAIL takes the free slot');
});

test("TG_TOKEN with a space: curl (3) and the originals' lines, no request, state written", async () => {
  const n = new TelegramOutbox({ token: '123:abc ', chatId: '-100', timeoutMs: 2000, transport: nodeHttpsTransport, stderr: collect });
  const { value, stderr } = await captureStderr(() => n.deliver(MESSAGE));
  assert.is(value, 'rejected');
  assert.ok(writesState(value));
  assert.is(stderr, `curl: (3) URL using bad/illegal format or missing URL\nnotify failed: ${MESSAGE}\nnotify message: ${MESSAGE}\n`);
});

test('classify: 200 without ok:true, 408, 3xx retried; unknown 4xx rejected', () => {
  assert.is(classify(parseTelegramReply(200, Buffer.from('{"ok":false}'))), 'retry');
  assert.is(classify(parseTelegramReply(200, Buffer.from('not json'))), 'retry');
  assert.is(classify(parseTelegramReply(408, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramReply(302, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramReply(503, Buffer.alloc(0))), 'retry');
  assert.is(classify(parseTelegramReply(413, Buffer.alloc(0))), 'rejected');
  const answer = (status: number, description: string, parameters?: object) =>
    parseTelegramReply(status, Buffer.from(JSON.stringify(fail(status, description, parameters))));
  assert.is(classify(answer(400, 'Bad Request: message is too long')), 'rejected');
  assert.is(classify(answer(400, 'Bad Request: message text is empty')), 'rejected');
  assert.is(classify(answer(400, 'Bad Request: chat not found')), 'blocked');
  assert.is(classify(answer(400, 'Bad Request: not enough rights to send text messages to the chat')), 'blocked');
  assert.is(classify(answer(401, 'Unauthorized')), 'blocked');
  assert.is(classify(answer(403, 'Forbidden: bot was kicked from the supergroup chat')), 'blocked');
  assert.is(classify(answer(404, 'Not Found')), 'blocked');
  const migrated = answer(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001557912345 });
  assert.is(classify(migrated), 'migrated');
  assert.is(migrated.migrateToChatId, '-1001557912345');
  assert.equal(parseTelegramReply(429, Buffer.from('{"ok":false,"parameters":{"retry_after":3}}')).retryAfterSec, 3);
});

test('telegram body: the contract example byte for byte', () => {
  assert.is(
    telegramBody('-100', 'OK  : http://127.0.0.2:5988 [0/0]'),
    'chat_id=-100&text=OK++%3A+http%3A%2F%2F127.0.0.2%3A5988+%5B0%2F0%5D',
  );
});

test('form encoding: unreserved kept, space +, UTF-8 bytes as uppercase %XX', () => {
  assert.is(formEncode('AZaz09-._~'), 'AZaz09-._~');
  assert.is(formEncode('a b+c/\u2014&=%'), 'a+b%2Bc%2F%E2%80%94%26%3D%25');
  assert.is(formEncode('\n\t'), '%0A%09');
});

test('chat_id goes in as given (not encoded)', () => {
  assert.is(telegramBody('@my chan', 'x'), 'chat_id=@my chan&text=x');
});

test('form body: a byte that is not UTF-8 is one %XX; the chat id keeps its bytes (src/bytes.ts)', () => {
  assert.is(formEncode('http\udce4://x ä'), 'http%E4%3A%2F%2Fx+%C3%A4');
  assert.equal(encode(telegramBody('-100\udce4', 'a')), Buffer.from('chat_id=-100\xe4&text=a', 'latin1'));
});

test.run();
