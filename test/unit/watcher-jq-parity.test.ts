// Differential check of evaluate() against the originals' own tools: the evaluation fragment
// of legacy/watcher.sh (jq 1.6 + dash `[ -eq ]`) run on the same bodies. Where the port
// diverges on purpose (D9: a 200 that jq cannot read, or whose .status.summary is not an
// object, is down here), the test says so instead of comparing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluate, INVALID_BODY_NOTE } from '../../src/watcher/evaluate.ts';
import { formatState } from '../../src/watcher/message.ts';

// Lines 104-117 and 131 of legacy/watcher.sh, with the body in $1.
const FRAGMENT = `
tmpb=$1
state=down
total=0
good=0
if counts=$(jq -r '.status.summary | "\\(.total) \\(.ok)"' "$tmpb" 2>/dev/null); then
  if [ -n "$counts" ]; then
    total=\${counts%% *}
    good=\${counts#* }
  fi
fi
if [ "$total" -eq "$good" ]; then
  state=up
fi
printf '%s' "$state:$good/$total:200"
`;

const haveTools = spawnSync('jq', ['--version']).status === 0 && spawnSync('dash', ['-c', 'true']).status === 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-jq-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function legacy(body: string): { state: string; stderr: string } {
  const file = path.join(tmp, 'body');
  fs.writeFileSync(file, body);
  const r = spawnSync('dash', ['-c', FRAGMENT, 'watcher', file], { encoding: 'utf8' });
  return { state: r.stdout, stderr: r.stderr.replace(/^watcher: \d+: /gm, '') };
}

const summary = (total: string, ok: string) => `{"status":{"checks":[],"summary":{"total":${total},"ok":${ok}}},"disk":{}}`;

const SAME = [
  summary('0', '0'),
  summary('3', '3'),
  summary('3', '1'),
  summary('000', '0'),
  summary('007', '7'),
  summary('2.0', '2'),
  summary('2.5', '2'),
  summary('1e2', '100'),
  summary('1e20', '1e20'),
  summary('-0', '0'),
  summary('"3"', '3'),
  summary('" 3 "', '3'),
  summary('"a b"', '"c"'),
  summary('null', '1'),
  summary('true', 'true'),
  summary('[1,2]', '[1,2]'),
  summary('{"a":1}', '0'),
  summary('99999999999999999999', '1'),
  summary('-0', '123456789012345678901'),
  summary('1e1', '10.0'),
  summary('1e16', '1e-5'),
  summary('0.0001', '300000'),
  '{"status":{}}',
  '{"hello":1}',
  '{"status":null}',
  'null',
  '{"status":{"summary":{}}}',
  '{"status":{"summary":{"total":2}}}',
  '{"status":{"checks":[{"url":"http://x","code":000,"time_s":0,"ok":false}],"summary":{"total":1,"ok":0}}}',
];

const DIVERGENT_D9 = ['not json', '', '<html>', '{"status":', '[1]', '"text"', '{"status":{"summary":5}}', '{"status":[1]}'];

test('same state and shell error lines as jq 1.6 + dash', () => {
  if (!haveTools) {
    console.log('    (jq or dash missing: skipped)');
    return;
  }
  for (const body of SAME) {
    const old = legacy(body);
    const ev = evaluate({ code: '200', body: Buffer.from(body) });
    assert.is(formatState(ev, '200'), old.state, body);
    assert.is(ev.shellErrors.map((l) => `${l}\n`).join(''), old.stderr, body);
  }
});

test('D9: what the originals count as up [0/0], the port counts as down', () => {
  if (!haveTools) return;
  for (const body of DIVERGENT_D9) {
    assert.is(legacy(body).state, 'up:0/0:200', body);
    const ev = evaluate({ code: '200', body: Buffer.from(body) });
    assert.is(formatState(ev, '200'), 'down:0/0:200', body);
    assert.equal(ev.failures, [INVALID_BODY_NOTE]);
  }
});

test.run();
