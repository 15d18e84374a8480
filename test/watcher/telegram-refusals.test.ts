// Issue 10 points 1-3 in the sandbox, against the fake Bot API (scripts/lib/telegram.ts):
// 401 then 403 keep every state unwritten with one request a round and one error line per
// cause; once fixed, a migration is followed at once and remembered; the latest state of every
// peer is delivered, no text is over 4096 UTF-16 units; a restart with the old TG_CHAT_ID
// warns again and sends to the new id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../src/compat/cksum.ts';
import { MIGRATION_FILE } from '../../src/watcher/telegram/chat-migration.ts';
import { runScenario } from './sandbox.ts';

interface Request {
  chatId: string;
  text: string;
  answer: string;
  status: number;
  round: number;
}
interface Result {
  stop: string;
  stderr: string;
  states: Record<string, string>;
  observed: Record<string, Record<string, string>>;
  telegram: Request[];
  restart: {
    removed: string;
    stop: string;
    stderr: string;
    states: Record<string, string>;
    telegram: { chatId: string; text: string; status: number }[];
  };
}

const url = (n: number) => `http://127.0.0.${n}:5988`;
const file = (n: number) => `${cksum(url(n))}.state`;
const NEW_ID = '-1001557912345';

test('401, 403, migration, long text: nothing dropped, one request a round while refused, latest states delivered', async () => {
  const r = await runScenario<Result>('telegram-refusals', 90000);
  assert.is(r.stop, 'exit 0');
  const byStatus = (s: number) => r.telegram.filter((t) => t.status === s);
  // While refused: at most one request a round, and nothing written.
  for (const status of [401, 403]) {
    const rounds = byStatus(status).map((t) => t.round);
    assert.ok(rounds.length >= 1, `${status} phase reached`);
    assert.is(new Set(rounds).size, rounds.length, `one request a round while ${status}: rounds ${rounds}`);
  }
  assert.equal(r.observed['3'] ?? {}, {}, 'no state written during the 401 rounds');
  assert.equal(r.observed['5'] ?? {}, {}, 'no state written during the 403 rounds');
  // One error line per cause.
  const count = (s: string) => r.stderr.split('\n').filter((l) => l.includes(s)).length;
  assert.is(count('notify refused by Telegram (HTTP 401: Unauthorized)'), 1);
  assert.is(count('notify refused by Telegram (HTTP 403: Forbidden: bot was kicked from the supergroup chat)'), 1);
  // Migration: warned with both ids, sent again to the new id at once, then used.
  assert.is(count(`Telegram upgraded chat -100 to a supergroup with id ${NEW_ID}: sending there; please set TG_CHAT_ID=${NEW_ID}`), 1);
  const upgraded = r.telegram.findIndex((t) => t.status === 400);
  assert.ok(upgraded >= 0, 'migration reached');
  assert.is(r.telegram[upgraded + 1]?.chatId, NEW_ID, 'the same text sent again to the new id at once');
  assert.is(r.telegram[upgraded + 1]?.text, r.telegram[upgraded]?.text);
  assert.ok(
    r.telegram.slice(upgraded + 1).every((t) => t.chatId === NEW_ID),
    'new id from then on',
  );
  assert.is(r.states[MIGRATION_FILE], `{"from":"-100","to":"${NEW_ID}"}\n`, 'remembered in STATE_DIR');
  // Latest state of every peer delivered and on disk.
  assert.is(r.states[file(2)], 'down:0/1:200');
  assert.is(r.states[file(3)], 'down:0/120:200');
  assert.is(r.states[file(4)], 'up:0/0:200');
  const accepted = r.telegram.filter((t) => t.answer === 'ok');
  const last = (n: number) => accepted.filter((t) => t.text.includes(`${url(n)} `)).pop()?.text;
  assert.is(last(2), `FAIL: ${url(2)} [0/1] \u2014 http://svc.test/a(500)`);
  assert.is(last(4), `OK  : ${url(4)} [0/0]`);
  // Long text: within the limit, ends with the sum of what did not fit.
  assert.ok(
    r.telegram.every((t) => t.text.length <= 4096),
    'no text over 4096',
  );
  assert.match(last(3) ?? '', /^FAIL: http:\/\/127\.0\.0\.3:5988 \[0\/120\] \u2014 http:\/\/service-000\..* \u2026 and \d+ more$/);
  // Restart with the old TG_CHAT_ID: warned again at start-up, sends to the new id.
  assert.is(r.restart.stop, 'exit 0');
  assert.ok(r.restart.stderr.startsWith(`Telegram upgraded chat -100 to a supergroup with id ${NEW_ID}`), r.restart.stderr.slice(0, 200));
  assert.equal(
    r.restart.telegram.map((t) => [t.chatId, t.text, t.status]),
    [[NEW_ID, `OK  : ${url(4)} [0/0]`, 200]],
  );
  assert.is(r.restart.states[r.restart.removed], 'up:0/0:200');
  console.log(
    `    telegram-refusals: ${r.telegram.length} requests (${byStatus(401).length} x 401, ${byStatus(403).length} x 403, ` +
      `${byStatus(400).length} x 400 migrated, ${accepted.length} accepted), longest text ${Math.max(...r.telegram.map((t) => t.text.length))}`,
  );
});

test.run();
