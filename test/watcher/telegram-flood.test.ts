// Issue 10 point 4 in the sandbox: the fake Bot API's flood control (1 message a second per
// chat) while six peers come up; one starts failing while OKs still wait. Its FAIL is the next
// text sent (first of its round, before any OK) and the first accepted after it; nothing is
// lost, every peer's latest state is delivered once; round 1, unthrottled, goes in peers order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface Result {
  stop: string;
  stderr: string;
  states: Record<string, string>;
  telegram: { text: string; answer: string; round: number }[];
}

const FAIL7 = 'FAIL: http://127.0.0.7:5988 [0/1]';

test('flood control: FAIL before OK, oldest first, latest states, peers order when not throttled', async () => {
  const r = await runScenario<Result>('telegram-flood', 90000);
  assert.is(r.stop, 'exit 0');
  const t = r.telegram;
  assert.ok(
    t.some((x) => x.answer === 'retry'),
    'flood control reached',
  );
  // Round 1, nothing throttled: the peers' order.
  assert.equal(
    t.filter((x) => x.round === 1).map((x) => x.text.slice(0, 30)),
    [`OK  : http://127.0.0.2:5988 [0`, `OK  : http://127.0.0.3:5988 [0`].slice(0, t.filter((x) => x.round === 1).length),
  );
  const firstFail = t.findIndex((x) => x.text.startsWith(FAIL7));
  assert.ok(firstFail > 0, 'the FAIL was sent');
  const failRound = t[firstFail]?.round as number;
  assert.ok(
    t.slice(firstFail).some((x) => x.answer === 'ok' && x.text.startsWith('OK  ')),
    'OKs were still waiting when it failed',
  );
  assert.is(
    t.findIndex((x) => x.round === failRound),
    firstFail,
    'the FAIL is the first text of its round',
  );
  const acceptedAfter = t.slice(firstFail).find((x) => x.answer === 'ok');
  assert.ok(acceptedAfter?.text.startsWith(FAIL7), `first accepted after it is the FAIL: ${acceptedAfter?.text}`);
  assert.ok(
    !t.some((x) => x.text.startsWith('OK  : http://127.0.0.7')) ||
      t.findIndex((x) => x.text.startsWith('OK  : http://127.0.0.7') && x.answer === 'ok') < firstFail,
    'no stale OK of .7 after its FAIL',
  );
  // Everything delivered once, latest states on disk.
  const accepted = t.filter((x) => x.answer === 'ok').map((x) => x.text);
  assert.is(new Set(accepted).size, accepted.length, 'no text accepted twice');
  assert.is(Object.keys(r.states).length, 6);
  assert.is(Object.values(r.states).filter((s) => s === 'up:0/0:200').length, 5);
  assert.is(Object.values(r.states).filter((s) => s === 'down:0/1:200').length, 1);
  console.log(
    `    telegram-flood: ${t.length} requests, ${accepted.length} accepted, FAIL first sent in round ${failRound} as request ${firstFail + 1}`,
  );
});

test.run();
