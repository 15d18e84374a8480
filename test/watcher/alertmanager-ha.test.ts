// ALERTMANAGER_URLS and METRICS_FILE end to end (docs/behaviour.md §10): two real Alertmanagers in HA,
// eight watchers, the fake Telegram as the receiver (alertmanager-scenario.ts). One node's
// checks fail: exactly one message names it (with its failing check and the seven watchers
// that see it down); Alertmanager 1 is killed; the node recovers: exactly one resolved
// message, from the survivor. promtool checks a metrics file the watchers wrote.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testIfInstalled } from '../support/installed.ts';
import { runScenario } from './sandbox.ts';

interface Result {
  beforeFailure: number;
  messages: Array<{ text: string; sinceFailMs: number }>;
  firstFailMs: number;
  killedSinceFailMs: number;
  recoveredSinceFailMs: number;
  endStates: Array<{ node: string; states: string[] }>;
  metricsDuringFailure: string;
  metricsText: string;
  promtool: { status: number | null; output: string };
  watcher1Log: string;
  amLogs: string[];
}

const FAILING = 'http://127.0.1.3:5988';
const REPORTERS = ['127.0.1.1', '127.0.1.2', '127.0.1.4', '127.0.1.5', '127.0.1.6', '127.0.1.7', '127.0.1.8'];

testIfInstalled(['prometheus-alertmanager', 'promtool'], '.ci/run installs them')(
  'two Alertmanagers in HA, eight watchers: one FAIL, one resolved, an Alertmanager killed loses nothing',
  async () => {
    const r = await runScenario<Result>('alertmanager-ha', 110_000, 'alertmanager-scenario.ts');
    const why = `messages: ${JSON.stringify(r.messages, null, 1)}`;
    assert.is(r.beforeFailure, 0, `nothing sent while every node is up (${why})`);
    assert.is(r.messages.length, 2, why);
    const [fail, ok] = r.messages as [{ text: string; sinceFailMs: number }, { text: string; sinceFailMs: number }];
    assert.is(fail.text, `FAIL: ${FAILING} [0/1] \u2014 http://svc.test/health(500)\nseen down by 7: ${REPORTERS.join(' ')}`);
    assert.ok(fail.sinceFailMs < r.killedSinceFailMs, 'the FAIL came before the kill');
    assert.is(ok.text, `OK  : ${FAILING} [1/1]\nup again for 7: ${REPORTERS.join(' ')}`);
    assert.ok(
      ok.sinceFailMs > r.recoveredSinceFailMs && r.recoveredSinceFailMs > r.killedSinceFailMs,
      'resolved after the kill, from the survivor',
    );
    for (const { node, states } of r.endStates) {
      assert.equal(states, Array(7).fill('up:1/1:200'), `states of ${node}`);
    }
    assert.match(
      r.watcher1Log,
      'alertmanager: http://127.0.0.1:9093: curl: (7) Failed to connect',
      'the dead one is reported, the post still delivered',
    );
    assert.not.match(r.watcher1Log, 'notify failed', 'no post lost');
    // METRICS_FILE from a real round, while node 3 was down.
    assert.match(r.metricsDuringFailure, `sentinella_peer_up{peer="${FAILING}"} 0\n`);
    assert.match(r.metricsDuringFailure, 'sentinella_peer_up{peer="http://127.0.1.2:5988"} 1\n');
    assert.match(r.metricsDuringFailure, `sentinella_peer_checks_ok{peer="${FAILING}"} 0\n`);
    assert.match(r.metricsDuringFailure, 'sentinella_watcher_peers 7\n');
    assert.match(r.metricsDuringFailure, /sentinella_watcher_notifications_total\{outcome="delivered"\} [1-9]/);
    assert.match(r.metricsText, `sentinella_peer_up{peer="${FAILING}"} 1\n`);
    assert.is(r.promtool.status, 0, `promtool check metrics: ${r.promtool.output}`);
    assert.is(r.promtool.output.trim(), '', 'promtool: no lint complaint');
    console.log(
      `    alertmanager-ha: FAIL at the fake Telegram ${(fail.sinceFailMs / 1000).toFixed(1)} s after the failure (group_wait 5 s), resolved ${((ok.sinceFailMs - r.recoveredSinceFailMs) / 1000).toFixed(1)} s after the recovery, 2 messages in all`,
    );
  },
);

test.run();
