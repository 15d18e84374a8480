// DIGEST=1's delivery of a round (src/watcher/delivery.ts's DigestDelivery over digest.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DigestDelivery, type RoundPeer } from '../../../src/watcher/delivery.ts';
import type { DeliveryOutcome } from '../../../src/watcher/outbox.ts';

function peer(n: number, up: boolean, last: string, changed = true): RoundPeer {
  const url = `http://10.0.0.${n}:5988`;
  return {
    url,
    up,
    message: `${up ? 'OK  ' : 'FAIL'}: ${url} [0/0]`,
    state: `${up ? 'up' : 'down'}:0/0:200`,
    last,
    changed,
    lastWrittenMs: () => undefined,
  };
}

test('digest delivery: one message per round, states written only for accepted messages', async () => {
  const sent: string[] = [];
  const answers: DeliveryOutcome[] = ['failed', 'delivered'];
  const d = new DigestDelivery('10.0.0.9', async (text) => {
    sent.push(text);
    return answers.shift() ?? 'delivered';
  });
  const peers = [peer(1, false, 'up:0/0:200'), peer(2, true, 'up:0/0:200', false), peer(3, false, 'up:0/0:200'), peer(4, true, '')];
  const r1 = await d.deliver(peers);
  assert.equal(r1, { written: [], notifications: ['retried'] });
  const r2 = await d.deliver(peers);
  assert.equal(r2, { written: [0, 2, 3], notifications: ['delivered'] });
  assert.is(sent.length, 2);
  assert.equal(sent[1]?.split('\n'), [
    'FAIL: http://10.0.0.1:5988 [0/0]',
    'FAIL: http://10.0.0.3:5988 [0/0]',
    'OK  : http://10.0.0.4:5988 [0/0]',
  ]);
  assert.equal(await d.deliver([peer(1, false, 'down:0/0:200', false)]), { written: [], notifications: [] });
});

test('digest delivery: the lost line when this node sees most peers go down at once', async () => {
  const sent: string[] = [];
  const d = new DigestDelivery('10.0.0.9', async (text) => (sent.push(text), 'delivered' as const));
  await d.deliver([peer(1, false, 'up:0/0:200'), peer(2, false, 'up:0/0:200'), peer(3, true, 'up:0/0:200', false)]);
  assert.equal(sent[0]?.split('\n'), [
    '10.0.0.9 lost 2 of 3 peers at once: its own network may be down',
    'FAIL: http://10.0.0.1:5988 [0/0]',
    'FAIL: http://10.0.0.2:5988 [0/0]',
  ]);
});

test.run();
