// The golden suite under uvu (part of `npm test`): every case runs in its own sandbox for
// both sides (4 at a time) in the `before` hook; then one test per case per side reports the
// verdict. A case whose program is not in a side's bin dir fails (engine.ts says which).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResult, loadCases, runSuite, type CaseResult } from './engine.ts';

const golden = suite('golden');
const cases = await loadCases();
const results = new Map<string, CaseResult>();

golden.before(async () => {
  const run = await runSuite({ sides: ['legacy', 'port'] });
  for (const r of run.results) results.set(`${r.side} ${r.case.id}`, r);
});

for (const c of cases) {
  golden(`legacy ${c.id}`, () => check(`legacy ${c.id}`));
  golden(`port ${c.id}`, () => check(`port ${c.id}`));
}

function check(key: string): void {
  const r = results.get(key);
  if (!r) assert.unreachable(`${key}: no result (the suite did not run it)`);
  else if (r.status === 'fail') assert.unreachable(formatResult(r));
}

golden.run();
