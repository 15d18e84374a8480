// The quorum rule of packaging/prometheus/sentinella.rules.yml, run by promtool's own rule
// tests against series shaped like METRICS_FILE's: three watchers (instances) report peer A
// and peer B; two of three see A down (fires), one of three sees B down (does not).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { testIfInstalled } from '../support/installed.ts';

const rules = path.resolve('packaging/prometheus/sentinella.rules.yml');

const series = (instance: string, peer: string, values: string): string =>
  `      - series: 'sentinella_peer_up{instance="${instance}", peer="${peer}"}'\n        values: '${values}'\n`;

const unitTest = `rule_files:
  - ${rules}
evaluation_interval: 15s
tests:
  - interval: 15s
    input_series:
${series('w1', 'http://a:5988', '1 0 0 0 0 0')}${series('w2', 'http://a:5988', '1 0 0 0 0 0')}${series('w3', 'http://a:5988', '1 1 1 1 1 1')}${series('w1', 'http://b:5988', '1 0 0 0 0 0')}${series('w2', 'http://b:5988', '1 1 1 1 1 1')}${series('w3', 'http://b:5988', '1 1 1 1 1 1')}    alert_rule_test:
      - eval_time: 75s
        alertname: SentinellaPeerDownQuorum
        exp_alerts:
          - exp_labels: { peer: 'http://a:5988' }
            exp_annotations:
              summary: 'http://a:5988 is down for 2 watchers, more than half of those that poll it'
      - eval_time: 15s
        alertname: SentinellaPeerDownQuorum
        exp_alerts: []
`;

testIfInstalled(['promtool'], '.ci/run installs the prometheus package')(
  'quorum rule: fires for a peer more than half the watchers see down, not for one',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-'));
    try {
      const file = path.join(dir, 'test.yml');
      fs.writeFileSync(file, unitTest);
      const check = spawnSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
      assert.is(check.status, 0, check.stdout + check.stderr);
      const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
      assert.is(run.status, 0, run.stdout + run.stderr);
      // ...and the test itself can fail: expecting B too must not pass.
      fs.writeFileSync(file, unitTest.replace('exp_alerts: []', "exp_alerts:\n          - exp_labels: { peer: 'http://b:5988' }"));
      assert.is.not(spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' }).status, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

test.run();
