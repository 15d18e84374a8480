// DIGEST=1 end to end (digest-scenario.ts): one message per round with every change, the
// "lost k of n" line, a refused digest sent again whole, states and METRICS_FILE counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface Result {
  messages: Array<{ text: string; answer: string }>;
  states: string[];
  metrics: string;
  stderr: string;
}

const url = (n: number): string => `http://127.0.0.${n}:5988`;

test('DIGEST=1: one message per round, FAIL first, lost line, a refused digest sent again', async () => {
  const r = await runScenario<Result>('digest', 90_000, 'digest-scenario.ts');
  const failed = [
    '127.0.0.1 lost 3 of 4 peers at once: its own network may be down',
    ...[3, 4, 5].map((n) => `FAIL: ${url(n)} [0/1] \u2014 http://svc.test/health(500)`),
  ].join('\n');
  assert.equal(r.messages, [
    { text: [2, 3, 4, 5].map((n) => `OK  : ${url(n)} [1/1]`).join('\n'), answer: 'ok' },
    { text: failed, answer: 'error' },
    { text: failed, answer: 'ok' },
    { text: [3, 4, 5].map((n) => `OK  : ${url(n)} [1/1]`).join('\n'), answer: 'ok' },
  ]);
  assert.equal(r.states, Array(4).fill('up:1/1:200'));
  assert.match(
    r.stderr.replace(/\x1b\[[0-9;]*m/g, ''),
    'notify failed: Telegram answered HTTP 500: Internal Server Error: 127.0.0.1 lost 3 of 4 peers',
  );
  assert.match(r.metrics, 'sentinella_watcher_notifications_total{outcome="delivered"} 3\n');
  assert.match(r.metrics, 'sentinella_watcher_notifications_total{outcome="retried"} 1\n');
  assert.match(r.metrics, 'sentinella_watcher_peers 4\n');
});

test.run();
