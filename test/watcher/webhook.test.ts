// WEBHOOK_URLS and TG_API_URL with a real watcher (webhook-scenario.ts, in the sandbox of
// sandbox.ts): webhooks without TG_TOKEN/TG_CHAT_ID, a hook that answers 500 once (sent again,
// the other hook not posted twice), and Telegram at TG_API_URL over http beside a webhook.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface Post {
  path: string;
  contentType: string;
  json: { text: string; peer: string; state: string; up: boolean; reporter: string };
  status: number;
}
interface Result {
  hookA: Post[];
  hookB: Post[];
  local: Array<{ path: string; chatId: string; text: string; answer: string }>;
  apiTelegramOrg: number;
  states: string[];
  stderr: string;
}

const P2 = 'http://127.0.0.2:5988';
const P3 = 'http://127.0.0.3:5988';
const OK2 = `OK  : ${P2} [1/1]`;
const OK3 = `OK  : ${P3} [1/1]`;
const FAIL3 = `FAIL: ${P3} [0/1] \u2014 http://svc.test/health(500)`;
/** The posts a hook should get for the scenario's changes, in order. */
const CHANGES = [
  { text: OK2, peer: P2, state: 'up:1/1:200', up: true, reporter: '127.0.0.1' },
  { text: OK3, peer: P3, state: 'up:1/1:200', up: true, reporter: '127.0.0.1' },
  { text: FAIL3, peer: P3, state: 'down:0/1:200', up: false, reporter: '127.0.0.1' },
  { text: OK3, peer: P3, state: 'up:1/1:200', up: true, reporter: '127.0.0.1' },
];

test('WEBHOOK_URLS without TG_TOKEN/TG_CHAT_ID: every change to both hooks, a 500 sent again, no duplicate, nothing to Telegram', async () => {
  const r = await runScenario<Result>('webhook-only', 90_000, 'webhook-scenario.ts');
  const why = `stderr:\n${r.stderr}`;
  assert.equal(
    r.hookA.map((p) => [p.path, p.contentType, p.status]),
    CHANGES.map(() => ['/hooks/a', 'application/json', 200]),
    why,
  );
  assert.equal(
    r.hookA.map((p) => p.json),
    CHANGES,
    'hook A: each change once, although hook B failed the first round',
  );
  // Hook B: 500 for the first post (retried), the round's second change postponed, both next round.
  assert.equal(
    r.hookB.map((p) => [p.path, p.json.text, p.status]),
    [
      ['/hooks/b?token=secret', OK2, 500],
      ['/hooks/b?token=secret', OK2, 200],
      ['/hooks/b?token=secret', OK3, 200],
      ['/hooks/b?token=secret', FAIL3, 200],
      ['/hooks/b?token=secret', OK3, 200],
    ],
    why,
  );
  assert.is(r.apiTelegramOrg, 0);
  assert.equal(r.states, ['up:1/1:200', 'up:1/1:200']);
  assert.match(r.stderr, `webhook 2 (http://127.0.0.1:9002): notify failed (HTTP 500 try later), retried next round: ${OK2}\n`);
  assert.match(r.stderr, `webhook 2 (http://127.0.0.1:9002): notify postponed: ${OK3}\n`);
  assert.match(r.stderr, `webhook 1 (http://127.0.0.1:9001): notify message: ${FAIL3}\n`);
  assert.not.match(r.stderr, 'secret', 'the hook path (its secret) is never logged');
  assert.not.match(r.stderr, 'not set');
});

test('TG_API_URL: Telegram over http at a local Bot API, beside a webhook; api.telegram.org never asked', async () => {
  const r = await runScenario<Result>('tg-api-url', 90_000, 'webhook-scenario.ts');
  const why = `stderr:\n${r.stderr}`;
  assert.equal(
    r.local.map((m) => [m.path, m.chatId, m.text, m.answer]),
    CHANGES.map((c) => ['/bot123:abc/sendMessage', '-100', c.text, 'ok']),
    why,
  );
  assert.equal(
    r.hookA.map((p) => p.json),
    CHANGES,
  );
  assert.is(r.apiTelegramOrg, 0);
  assert.equal(r.states, ['up:1/1:200', 'up:1/1:200']);
  // Telegram's lines are the originals'; the webhook's follow each.
  assert.match(r.stderr, `notify message: ${FAIL3}\nwebhook 1 (http://127.0.0.1:9001): notify message: ${FAIL3}\n`);
});

test.run();
