#!/usr/bin/env node
// The project's test command (`npm test`): type-checks, then runs every test/**/*.test.ts
// with uvu under tsx, each file in its own process (nock and other interceptors patch
// node:http process-wide; a file must not change what the next one sees), and ends with the
// one plain last line `N passed, N failed, N skipped` that uvu itself does not print. Skipped
// counts uvu's skips (`test.skip`: the Nix evaluation without a nixpkgs lib), never as passed.
//
//   npm test                     everything
//   npm test -- golden           only test files whose path matches /golden/ (no typecheck)
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
      // NO_COLOR alone: uvu's output is parsed, and FORCE_COLOR beside it makes every Node
      // child warn on stderr.
      env: (({ FORCE_COLOR: _ignored, ...env }) => ({ ...env, NO_COLOR: '1' }))(process.env),
    });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

async function testFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await testFiles(full)));
    else if (entry.name.endsWith('.test.ts')) found.push(full);
  }
  return found.sort();
}

if (!filter) {
  console.log('# typecheck (tsc --noEmit)');
  const tsc = await run([path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root]);
  if (tsc.code === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push('typecheck');
  }
}

const files = (await testFiles(path.join(root, 'test')))
  .map((file) => path.relative(root, file))
  .filter((file) => !filter || filter.test(file));
for (const file of files) {
  console.log(`\n# ${file}`);
  const { code, out } = await run(['--import', 'tsx', file], { capture: true });
  // uvu's totals close its output; the last match wins over anything a test printed.
  const count = (label) => Number([...out.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)$`, 'gm'))].pop()?.[1] ?? NaN);
  const total = count('Total');
  const ok = count('Passed');
  const skip = count('Skipped');
  if (Number.isNaN(total) || Number.isNaN(ok)) {
    console.log(`# ${file}: no uvu totals (exit ${code}): counted as one failure`);
    totals.failed += 1;
    failures.push(file);
    continue;
  }
  totals.passed += ok;
  totals.skipped += Number.isNaN(skip) ? 0 : skip;
  const failedHere = total - ok + (code !== 0 && total === ok ? 1 : 0);
  totals.failed += failedHere;
  if (failedHere > 0) failures.push(file);
}

if (failures.length > 0) console.log(`\nfailing: ${failures.join(' ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
