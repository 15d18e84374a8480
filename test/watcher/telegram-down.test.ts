// Fault: Telegram down for five rounds (refused, refused, 500, 500, 429 retry_after=2) while
// three peers change state, then back. Every peer's latest state must end up delivered and on
// disk, no state may be delivered twice in a row, and nothing may reach Telegram before the
// 429's retry_after has passed (D5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../src/compat/cksum.ts';
import { runScenario } from './sandbox.ts';

interface Result {
  rounds: number;
  stop: string;
  stderr: string;
  states: Record<string, string>;
  telegram: { body: string; answer: string; atMs: number }[];
  peerConnections: number[];
}

const url = (n: number) => `http://127.0.0.${n}:5988`;
const text = (body: string) => decodeURIComponent(body.replace(/^chat_id=-100&text=/, '').replace(/\+/g, ' '));

test('Telegram down for five rounds: latest states delivered once and on disk', async () => {
  const r = await runScenario<Result>('telegram-down', 90000);
  const expected: Record<number, { state: string; message: string }> = {
    2: { state: 'up:0/0:200', message: `OK  : ${url(2)} [0/0]` },
    3: { state: 'down:0/1:200', message: `FAIL: ${url(3)} [0/1] \u2014 http://svc.test/a(500)` },
    4: { state: 'down:0/0:000', message: `FAIL: ${url(4)} [0/0]` },
    5: { state: 'down:0/0:000', message: `FAIL: ${url(5)} [0/0]` },
  };
  assert.is(r.stop, 'exit 0', 'SIGTERM ends the watcher with status 0');
  assert.ok(
    r.peerConnections.every((n) => n >= r.rounds),
    `every peer polled every round: ${r.peerConnections}`,
  );
  let accepted = 0;
  let duplicates = 0;
  for (const [n, want] of Object.entries(expected)) {
    assert.is(r.states[`${cksum(url(Number(n)))}.state`], want.state, `state file of ${url(Number(n))}`);
    const delivered = r.telegram.filter((t) => t.answer === 'ok' && text(t.body).includes(`${url(Number(n))} `)).map((t) => text(t.body));
    accepted += delivered.length;
    assert.is(delivered[delivered.length - 1], want.message, `latest message of ${url(Number(n))} delivered`);
    for (let i = 1; i < delivered.length; i++) if (delivered[i] === delivered[i - 1]) duplicates += 1;
  }
  assert.is(duplicates, 0, 'no state delivered twice');
  assert.is(Object.keys(r.states).length, 4, 'one state file per peer, no temporary files left');
  const i429 = r.telegram.findIndex((t) => t.answer === 'retry');
  assert.ok(i429 >= 0, 'the 429 phase was reached');
  const after = r.telegram[i429 + 1];
  assert.ok(after !== undefined && after.atMs - (r.telegram[i429]?.atMs ?? 0) >= 1900, 'nothing sent before retry_after (2 s)');
  assert.ok(r.stderr.includes('curl: (7) Failed to connect to api.telegram.org port 443 after '), 'refused phase seen');
  assert.ok(r.stderr.includes('notify failed: Telegram answered HTTP 500: Internal Server Error: '), '500 phase seen');
  console.log(
    `    telegram-down: ${r.rounds} rounds, ${r.telegram.length} requests reached Telegram ` +
      `(${r.telegram.filter((t) => t.answer !== 'ok').length} refused by it), ${accepted} accepted, ` +
      `4 peers' latest state delivered and on disk, ${duplicates} duplicates`,
  );
});

test.run();
