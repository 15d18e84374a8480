// Runs test/cluster/mixed-scenario.ts with one plan (mixed-scenario-plan.ts) inside private
// namespaces and reads its report: the before hook of mixed.test.ts and mixed-srv.test.ts.
//
// Bin dirs: LEGACY_BIN_DIR (default: built now with scripts/build-legacy.mjs into a temp
// dir) and PORT_BIN_DIR (default dist/bin, built with `npm run build` when missing).
// The full report (every message, state snapshot and program output) is kept in
// $TMPDIR/sentinella-<plan>-last-report.json after each run, for debugging a failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

/** The port's bin dir for a cluster scenario (quorum.test.ts too). */
export function portBinDir(): string {
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

/**
 * Runs `plan` once in the test file's before hook; the function returned gives its report, or
 * throws why there is none (each test then fails with that reason).
 */
export function scenarioReport(plan: string): () => Report {
  let report: Report | undefined;
  let failure = '';
  test.before(async () => {
    ({ report, failure } = await runScenario(plan));
  });
  return () => {
    if (!report) throw new Error(failure || 'no report');
    return report;
  };
}

/** The scenario ran every phase of `phases`, in order, with no error. */
export function assertRanToEnd(r: Report, phases: string[]): void {
  assert.is(r.error, undefined, r.error);
  assert.equal(
    r.phases.map((p) => p.name),
    phases,
  );
}

/** The messages sent outside `phases`, as `phase: chat text` (none expected). */
export const outside = (r: Report, phases: string[]): string[] =>
  r.messages.filter((m) => !phases.includes(m.phase)).map((m) => `${m.phase}: ${m.chatId} ${m.text}`);

/** The texts the watcher of `chatId` sent during `phase`, in order. */
export const textsOf = (r: Report, chatId: string, phase: string): string[] =>
  r.messages.filter((m) => m.chatId === chatId && m.phase === phase).map((m) => m.text);
