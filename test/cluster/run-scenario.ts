// Runs test/cluster/mixed-scenario.ts with one plan (mixed-scenario-plan.ts) inside private
// namespaces and reads its report: the before hook of mixed.test.ts and mixed-srv.test.ts.
//
// Bin dirs: LEGACY_BIN_DIR (default: built now with scripts/build-legacy.mjs into a temp
// dir) and PORT_BIN_DIR (default dist/bin, built with `npm run build` when missing).
// The full report (every message, state snapshot and program output) is kept in
// $TMPDIR/sentinella-<plan>-last-report.json after each run, for debugging a failure.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { enterPrivateNamespaces, probeNamespaceSupport } from '../../scripts/lib/cluster.ts';
import type { Report } from './mixed-scenario-plan.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function legacyBinDir(work: string): string {
  if (process.env.LEGACY_BIN_DIR) return path.resolve(process.env.LEGACY_BIN_DIR);
  const dir = path.join(work, 'legacy-bin');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-legacy.mjs'), dir], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  return dir;
}

function portBinDir(): string {
  if (process.env.PORT_BIN_DIR) return path.resolve(process.env.PORT_BIN_DIR);
  const dir = path.join(root, 'dist/bin');
  if (!existsSync(path.join(dir, 'probe')) || !existsSync(path.join(dir, 'watcher'))) {
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe', timeout: 120_000 });
  }
  return dir;
}

/** The report of one run of `plan`, or why there is none. */
export async function runScenario(plan: string): Promise<{ report?: Report; failure: string }> {
  const support = probeNamespaceSupport();
  if (!support.ok) return { failure: `cannot make network namespaces: ${support.reason}` };
  const work = mkdtempSync(path.join(tmpdir(), `sentinella-${plan}-test-`));
  try {
    const reportPath = path.join(work, 'report.json');
    const { child, exit } = enterPrivateNamespaces(
      support,
      path.join(root, 'test/cluster/mixed-scenario.ts'),
      [reportPath, legacyBinDir(work), portBinDir(), plan],
      { cwd: root, stdio: 'pipe', boundMs: 150_000 },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.stdout?.resume();
    const code = (await exit).code ?? 1;
    if (!existsSync(reportPath)) return { failure: `the scenario wrote no report (exit ${code}): ${stderr}` };
    // Kept after the run (overwritten by the next one) for whoever debugs a failure.
    copyFileSync(reportPath, path.join(tmpdir(), `sentinella-${plan}-last-report.json`));
    return { report: JSON.parse(readFileSync(reportPath, 'utf8')) as Report, failure: '' };
  } catch (error) {
    return { failure: (error as Error).message };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
