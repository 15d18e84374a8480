// The fake Bot API of scripts/lib/telegram.ts answers as the real one does (issue 10 point 5):
// the tests of points 1-4 are only as good as this.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOT_USER, botApiReply, defaultBotApi, TEXT_LIMIT } from '../../scripts/lib/telegram.ts';

const PATH = '/bot123:abc/sendMessage';
const body = (chatId: string, text: string) =>
  `chat_id=${encodeURIComponent(chatId)}&text=${encodeURIComponent(text).replace(/%20/g, '+')}`;
const parse = (r: { reply: { body: string } }) =>
  JSON.parse(r.reply.body) as Record<string, unknown> & { parameters?: Record<string, number>; result?: Record<string, unknown> };

test('accepted: a full Message (message_id, from, chat, date, text)', () => {
  const r = botApiReply(defaultBotApi(), new Map(), PATH, body('-100', 'OK  : http://127.0.0.2:5988 [0/0]'), 1_700_000_000_000);
  assert.is(r.reply.status, 200);
  const json = parse(r);
  assert.is(json.ok, true);
  const m = json.result as {
    message_id: number;
    from: unknown;
    chat: { id: number; type: string; title: string };
    date: number;
    text: string;
  };
  assert.type(m.message_id, 'number');
  assert.equal(m.from, BOT_USER);
  assert.equal([m.chat.id, m.chat.type, m.chat.title], [-100, 'group', 'Sentinella alerts']);
  assert.type(m.date, 'number');
  assert.is(m.text, 'OK  : http://127.0.0.2:5988 [0/0]');
});

test('flood control per chat: 1 a second, 20 a minute, 429 with retry_after until a slot frees', () => {
  const api = defaultBotApi();
  api.chats.set('-200', { type: 'supergroup' });
  const sent = new Map<string, number[]>();
  let t = 1_000_000;
  const send = (chat = '-100') => botApiReply(api, sent, PATH, body(chat, 'x'), t);
  assert.is(send().reply.status, 200);
  const again = send();
  assert.is(again.reply.status, 429);
  assert.is(parse(again).description, 'Too Many Requests: retry after 1');
  assert.equal(parse(again).parameters, { retry_after: 1 });
  assert.is(send('-200').reply.status, 200, 'another chat has its own limits');
  for (let i = 1; i < 20; i++) {
    t += 1000;
    assert.is(send().reply.status, 200, `message ${i + 1} of the minute`);
  }
  t += 1000; // 20 s after the first: the minute is full until 60 s after it
  const full = send();
  assert.is(full.reply.status, 429);
  assert.equal(parse(full).parameters, { retry_after: 40 });
  t += 39_000;
  assert.is(send().reply.status, 429, 'one second early');
  t += 1000;
  assert.is(send().reply.status, 200, 'the slot freed');
});

test('4096 UTF-16 code units after trimming: message is too long', () => {
  const api = defaultBotApi({ flood: false });
  const at = (text: string) => botApiReply(api, new Map(), PATH, body('-100', text));
  assert.is(at('a'.repeat(TEXT_LIMIT)).reply.status, 200);
  assert.is(at(`  ${'a'.repeat(TEXT_LIMIT)}  `).reply.status, 200, 'trimmed first');
  const long = at(`${'a'.repeat(TEXT_LIMIT - 1)}\u{1F525}`);
  assert.is(long.reply.status, 400);
  assert.is(parse(long).description, 'Bad Request: message is too long');
});

test('token, chat, migration, kicked, blocked: the real descriptions', () => {
  const api = defaultBotApi({ flood: false });
  api.chats.set('-300', { type: 'group', migratedTo: -1001557912345 });
  api.chats.set('-400', { type: 'supergroup', botRemoved: true });
  api.chats.set('-500', { type: 'group', botRemoved: true });
  api.chats.set('42', { type: 'private', botRemoved: true });
  const answer = (path: string, chat: string) => {
    const r = botApiReply(api, new Map(), path, body(chat, 'x'));
    return [r.reply.status, parse(r).description, parse(r).parameters];
  };
  assert.equal(answer('/bot123:wrong/sendMessage', '-100'), [401, 'Unauthorized', undefined]);
  assert.equal(answer('/botnot-a-token/sendMessage', '-100'), [404, 'Not Found', undefined]);
  assert.equal(answer(PATH, '-999'), [400, 'Bad Request: chat not found', undefined]);
  assert.equal(answer(PATH, '-300'), [
    400,
    'Bad Request: group chat was upgraded to a supergroup chat',
    { migrate_to_chat_id: -1001557912345 },
  ]);
  assert.equal(answer(PATH, '-400'), [403, 'Forbidden: bot was kicked from the supergroup chat', undefined]);
  assert.equal(answer(PATH, '-500'), [403, 'Forbidden: bot was kicked from the group chat', undefined]);
  assert.equal(answer(PATH, '42'), [403, 'Forbidden: bot was blocked by the user', undefined]);
});

test("a JSON body (Alertmanager's Telegram receiver) is read like a form; without its Content-Type it is no form", () => {
  const json = JSON.stringify({ chat_id: -100, text: 'FAIL: http://127.0.0.3:5988 [0/1]', parse_mode: '' });
  const r = botApiReply(defaultBotApi(), new Map(), PATH, json, 1_700_000_000_000, 'application/json');
  assert.is(r.reply.status, 200);
  assert.is((parse(r).result as { text: string }).text, 'FAIL: http://127.0.0.3:5988 [0/1]');
  const asForm = botApiReply(defaultBotApi(), new Map(), PATH, json, 1_700_000_000_000, 'application/x-www-form-urlencoded');
  assert.equal([asForm.reply.status, parse(asForm).description], [400, 'Bad Request: chat_id is empty']);
});

test.run();
