// D5: once Telegram's status line says 200 the message is delivered, even when its body then
// trickles past TIMEOUT and curl's timeout ends the transfer: the state is written and the
// text is not sent again. The fake Bot API sends the head at once and the body one byte every
// 300 ms; TIMEOUT=1; six rounds; two peers come up, then one fails. Every text must reach
// Telegram exactly once, and the log lines stay the originals' (curl's line, notify failed,
// the notice).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../src/compat/cksum.ts';
import { runScenario } from './sandbox.ts';

interface Result {
  rounds: number;
  stop: string;
  stderr: string;
  states: Record<string, string>;
  telegram: { text: string; answer: string; status: number; round: number }[];
}

const url = (n: number) => `http://127.0.0.${n}:5988`;

test('Telegram 200 with a body slower than TIMEOUT: each text delivered once, states written', async () => {
  const r = await runScenario<Result>('telegram-slow-body', 90000);
  const texts = [`OK  : ${url(2)} [0/0]`, `OK  : ${url(3)} [0/0]`, `FAIL: ${url(3)} [0/1] \u2014 http://svc.test/a(500)`];
  const copies = texts.map((text) => r.telegram.filter((t) => t.text === text).length);
  console.log(
    `    telegram-slow-body: ${r.rounds} rounds, ${r.telegram.length} requests reached Telegram (all 200, body cut by TIMEOUT), ` +
      `copies per text ${JSON.stringify(copies)}`,
  );
  assert.is(r.stop, 'exit 0');
  assert.ok(
    r.telegram.every((t) => t.answer === 'trickle' && t.status === 200),
    'every request got the trickled 200',
  );
  assert.equal(copies, [1, 1, 1], 'each text reached Telegram exactly once');
  assert.is(r.telegram.length, 3, 'nothing else was sent');
  assert.is(r.states[`${cksum(url(2))}.state`], 'up:0/0:200');
  assert.is(r.states[`${cksum(url(3))}.state`], 'down:0/1:200');
  // The originals' lines for a transfer their curl -m ends: curl's, notify failed, the notice.
  for (const text of texts) {
    assert.ok(r.stderr.includes(`notify failed: ${text}\nnotify message: ${text}\n`), `the originals' lines for ${text}`);
  }
  assert.is(r.stderr.match(/curl: \(28\) Operation timed out after \d+ milliseconds with \d+ out of \d+ bytes received\n/g)?.length, 3);
  assert.not.ok(r.stderr.includes('notify postponed'), 'nothing postponed');
});

test.run();
