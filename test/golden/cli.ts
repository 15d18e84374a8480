// `npm run golden [-- options]`: the golden suite alone, with a readable report.
//   --side legacy|port   one side only (legacy: the rebuilt originals against expected/)
//   --case <regex>       only cases whose id matches
//   --update             rewrite expected/<id>.json from the legacy run (then REVIEW the diff)
//   --update-port        rewrite expected/<id>.port.json from the port run, for cases that
//                        list divergences (then REVIEW the diff)
//   --concurrency N      sandboxes at once (default 4)
//   --verbose            also print each observation of failing cases as JSON
// LEGACY_BIN_DIR / PORT_BIN_DIR: run a side from another build.
import { formatResult, runSuite, type Side } from './engine.ts';

const args = process.argv.slice(2);
const value = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const side = value('--side');
if (side !== undefined && side !== 'legacy' && side !== 'port') {
  console.error('--side must be legacy or port');
  process.exit(2);
}
const caseFilter = value('--case');
const verbose = args.includes('--verbose');
const startedAt = Date.now();

const suite = await runSuite({
  sides: side ? [side as Side] : ['legacy', 'port'],
  ...(caseFilter ? { filter: new RegExp(caseFilter) } : {}),
  update: args.includes('--update'),
  updatePort: args.includes('--update-port'),
  concurrency: Number(value('--concurrency') ?? 4),
  onResult: (r) => {
    console.log(formatResult(r));
    if (verbose && r.status === 'fail' && r.observation) console.log(JSON.stringify(r.observation, null, 2).replace(/^/gm, '    '));
  },
});

const count = (status: string, s?: Side) => suite.results.filter((r) => r.status === status && (!s || r.side === s)).length;
console.log(`\nlegacy bin dir: ${suite.legacy.dir ? suite.legacy.from : `(none: ${suite.legacy.problem})`}`);
console.log(`port bin dir:   ${suite.port.dir ? suite.port.from : `(none: ${suite.port.problem})`}`);
for (const s of ['legacy', 'port'] as const) {
  if (suite.results.some((r) => r.side === s)) console.log(`${s}: ${count('pass', s)} passed, ${count('fail', s)} failed`);
}
console.log(`${suite.cases.length} cases, ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
process.exitCode = count('fail') > 0 ? 1 : 0;
