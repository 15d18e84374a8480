// PEERS_SRV with DIGEST=1 and METRICS_FILE end to end (srv-options-scenario.ts): the digest's
// lines name peers `TARGET (IP)` (docs/behaviour.md §12), state files are named by the targets,
// and the metrics name a peer by its URL as in the PEERS_DNS mode, so the quorum rule of
// packaging/prometheus/ counts watchers of both modes alike (README "Large meshes").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { runScenario } from './sandbox.ts';

interface Result {
  messages: string[];
  states: Record<string, string>;
  metricsWhileDown: string;
  stderr: string;
}

const cksum = (text: string): string => execFileSync('cksum', { input: text, encoding: 'utf8' }).split(' ')[0] as string;

test('PEERS_SRV + DIGEST=1 + METRICS_FILE: labels in the digest, states by target, metrics by URL', async () => {
  const r = await runScenario<Result>('srv-options', 90_000, 'srv-options-scenario.ts');
  assert.equal(r.messages, [
    'OK  : n2.mesh.test (127.0.0.2) [1/1]\nOK  : n3.mesh.test (127.0.0.3) [1/1]',
    'FAIL: n3.mesh.test (127.0.0.3) [0/1] \u2014 http://svc.test/health(500)',
    'OK  : n3.mesh.test (127.0.0.3) [1/1]',
  ]);
  assert.equal(r.states, { [`${cksum('n2.mesh.test')}.state`]: 'up:1/1:200', [`${cksum('n3.mesh.test')}.state`]: 'up:1/1:200' });
  assert.match(r.metricsWhileDown, 'sentinella_peer_up{peer="http://127.0.0.2:5988"} 1\n');
  assert.match(r.metricsWhileDown, 'sentinella_peer_up{peer="http://127.0.0.3:6001"} 0\n');
  assert.match(r.stderr, 'no change: \x1b[37mOK  : n2.mesh.test (127.0.0.2) [1/1]');
});

test.run();
