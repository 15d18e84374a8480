#!/usr/bin/env node
// The project's test command (`npm test`): type-checks, then runs every test/**/*.test.ts
// with uvu under tsx, and ends with the one plain line `N passed, N failed, N skipped`
// that uvu itself does not print. Skipped = golden cases still pending.
//
//   npm test                     everything
//   npm test -- golden           only test files whose path matches /golden/
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const filter = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let out = '';
    if (capture) {
      child.stdout.on('data', (chunk) => {
        process.stdout.write(chunk);
        out += chunk;
      });
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

if (!filter) {
  console.log('# typecheck (tsc --noEmit)');
  const tsc = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root]);
  if (tsc.code === 0) passed += 1;
  else failed += 1;
}

const pattern = filter ? `${filter}.*\\.test\\.ts$` : '\\.test\\.ts$';
const uvu = await run(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), 'test', pattern],
  { capture: true },
);
const count = (label) => Number((uvu.out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
const total = count('Total');
const ok = count('Passed');
const skip = count('Skipped');
if (Number.isNaN(total) || Number.isNaN(ok)) {
  console.log('uvu did not report its totals (it crashed or found no test file)');
  failed += 1;
} else {
  passed += ok;
  failed += total - ok;
  skipped += Number.isNaN(skip) ? 0 : skip;
  if (uvu.code !== 0 && total === ok) failed += 1; // crashed after the last test
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
