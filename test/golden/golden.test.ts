// The golden suite under uvu (part of `npm test`): every case runs in its own sandbox for
// both sides (4 at a time) in the `before` hook; then one test per case per side reports the
// verdict. A case whose program is not in the port bin dir yet is pending (skipped).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResult, hasProgram, loadCases, portBinDir, runSuite, type CaseResult } from './engine.ts';

const golden = suite('golden');
const cases = await loadCases();
const port = portBinDir();
const results = new Map<string, CaseResult>();

golden.before(async () => {
  const run = await runSuite({ sides: ['legacy', 'port'] });
  for (const r of run.results) results.set(`${r.side} ${r.case.id}`, r);
});

for (const c of cases) {
  golden(`legacy ${c.id}`, () => check(`legacy ${c.id}`));
  if (hasProgram(port, c.program)) golden(`port ${c.id}`, () => check(`port ${c.id}`));
  else golden.skip(`port ${c.id} (pending: no ${c.program} in ${port.dir})`, () => {});
}

function check(key: string): void {
  const r = results.get(key);
  if (!r) assert.unreachable(`${key}: no result (the suite did not run it)`);
  else if (r.status === 'fail') assert.unreachable(formatResult(r));
}

golden.run();
