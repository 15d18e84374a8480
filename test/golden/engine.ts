// The golden runner's engine: finds the two bin dirs, loads the cases, runs each case in its
// own sandbox (unshare + the bundled driver), normalises what it saw, and judges it against
// the committed expectations. Used by golden.test.ts (uvu) and cli.ts (`npm run golden`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeTestCa, type TestCa } from '../support/tls.ts';
import { diffObservations } from './diff.ts';
import { maskHostFigures, normaliseObservation } from './normalise.ts';
import type { GoldenCase, Observation, Program, RawObservation } from './types.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CASES_DIR = path.join(ROOT, 'test', 'golden', 'cases');
export const EXPECTED_DIR = path.join(ROOT, 'test', 'golden', 'expected');
const WORK_DIR = path.join(ROOT, 'build', 'golden');
const PROGRAMS: readonly Program[] = ['router', 'base64', 'probe', 'watcher'];

export type Side = 'legacy' | 'port';

// ---------------------------------------------------------------- bin dirs

export interface BinDir {
  readonly dir: string | null;
  /** Why there is no dir (legacy build failed, ...). */
  readonly problem?: string;
}

/** LEGACY_BIN_DIR, else build the originals with scripts/build-legacy.mjs into build/legacy/bin. */
export function legacyBinDir(env = process.env): BinDir {
  if (env.LEGACY_BIN_DIR) return { dir: path.resolve(env.LEGACY_BIN_DIR) };
  const script = path.join(ROOT, 'scripts', 'build-legacy.mjs');
  if (!existsSync(script)) return { dir: null, problem: 'scripts/build-legacy.mjs does not exist yet (set LEGACY_BIN_DIR)' };
  const out = path.join(ROOT, 'build', 'legacy', 'bin');
  const r = spawnSync(process.execPath, [script, out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return { dir: null, problem: `build-legacy failed (${r.status}): ${r.stderr || r.stdout}` };
  return { dir: out };
}

/** PORT_BIN_DIR, else dist/bin (built by `npm run build`). */
export function portBinDir(env = process.env): BinDir {
  return { dir: path.resolve(env.PORT_BIN_DIR || path.join(ROOT, 'dist', 'bin')) };
}

export function hasProgram(bin: BinDir, program: Program): boolean {
  return bin.dir !== null && existsSync(path.join(bin.dir, program));
}

/** Every spelling under which a side's bin dir can appear in its output (N1). */
export function binDirSpellings(dir: string): string[] {
  const spellings = new Set<string>([dir]);
  try {
    spellings.add(realpathSync(dir));
  } catch {
    /* missing dir: nothing to add */
  }
  for (const program of PROGRAMS) {
    try {
      spellings.add(path.dirname(realpathSync(path.join(dir, program))));
    } catch {
      /* program absent */
    }
  }
  return [...spellings];
}

// ---------------------------------------------------------------- cases and expectations

/** Every `cases` array exported by test/golden/cases/*.ts, ids checked for uniqueness. */
export async function loadCases(): Promise<GoldenCase[]> {
  const all: GoldenCase[] = [];
  const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(CASES_DIR, file)).href)) as { cases?: GoldenCase[] };
    if (!Array.isArray(mod.cases)) continue;
    all.push(...mod.cases);
  }
  const seen = new Set<string>();
  for (const c of all) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.id)) throw new Error(`golden case id ${JSON.stringify(c.id)}: use [a-z0-9-]`);
    if (seen.has(c.id)) throw new Error(`golden case id ${c.id} is used twice`);
    seen.add(c.id);
  }
  return all;
}

export function expectationPath(id: string, side: Side): string {
  return path.join(EXPECTED_DIR, side === 'port' ? `${id}.port.json` : `${id}.json`);
}

export function readExpectation(id: string, side: Side): Observation | null {
  const file = expectationPath(id, side);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Observation) : null;
}

export function writeExpectation(id: string, side: Side, observation: Observation): void {
  mkdirSync(EXPECTED_DIR, { recursive: true });
  const { harnessErrors: _ignored, ...stored } = observation;
  writeFileSync(expectationPath(id, side), `${JSON.stringify(stored, null, 2)}\n`);
}

// ---------------------------------------------------------------- sandbox

export interface Harness {
  readonly driver: string;
  readonly tls: TestCa;
  readonly tmp: string;
  cleanup(): void;
}

/** Bundles the driver (fast start: no tsx in the sandbox) and makes the test CA. */
export async function prepareHarness(): Promise<Harness> {
  mkdirSync(WORK_DIR, { recursive: true });
  const { build } = await import('esbuild');
  const driver = path.join(WORK_DIR, 'driver.mjs');
  const partial = `${driver}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(ROOT, 'test', 'golden', 'sandbox', 'driver.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external', // dns2 resolves from ROOT/node_modules
    logLevel: 'warning',
  });
  renameSync(partial, driver);
  const tls = makeTestCa(path.join(WORK_DIR, 'tls'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sentinella-golden-'));
  return { driver, tls, tmp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Runs one case against one bin dir in a fresh sandbox; never throws. */
export async function runInSandbox(harness: Harness, c: GoldenCase, side: Side, binDir: string): Promise<RawObservation> {
  const base = path.join(harness.tmp, `${side}-${c.id}`);
  const outPath = `${base}.out.json`;
  writeFileSync(`${base}.spec.json`, JSON.stringify({ case: c, binDir, tls: harness.tls, outPath }));
  const unshare = ['--net', '--mount', '--propagation', 'private', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])];
  const child = spawn('unshare', [...unshare, '--', process.execPath, harness.driver, `${base}.spec.json`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let driverOutput = '';
  child.stdout.on('data', (d) => (driverOutput += d));
  child.stderr.on('data', (d) => (driverOutput += d));
  const boundMs = (c.timeoutMs ?? (c.program === 'router' || c.program === 'base64' ? 15000 : 30000)) + 30000;
  const status = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      resolve('killed after the runner bound');
    }, boundMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`spawn error: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? `signal ${signal}` : `exit ${code}`);
    });
  });
  // The driver stops its programs itself; these are for a driver that died first.
  if (existsSync(`${outPath}.pgids`)) {
    for (const pgid of readFileSync(`${outPath}.pgids`, 'utf8').split('\n').filter(Boolean)) killGroup(Number(pgid), 'SIGKILL');
  }
  if (!existsSync(outPath)) {
    return { stdout: '', stderr: '', exit: 'harness error', harnessErrors: [`sandbox driver ${status}, no observation: ${driverOutput.slice(0, 4000)}`] };
  }
  return JSON.parse(readFileSync(outPath, 'utf8')) as RawObservation;
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    /* gone */
  }
}

// ---------------------------------------------------------------- the suite

export interface CaseResult {
  readonly case: GoldenCase;
  readonly side: Side;
  readonly status: 'pass' | 'fail' | 'pending';
  /** Readable reasons for a fail, or the reason for pending. */
  readonly problems: readonly string[];
  readonly observation?: Observation;
}

export interface SuiteOptions {
  readonly sides?: readonly Side[];
  /** Only cases whose id matches. */
  readonly filter?: RegExp;
  /** Rewrite expected/<id>.json from the legacy run (for review). */
  readonly update?: boolean;
  /** Rewrite expected/<id>.port.json from the port run, for cases with divergences (for review). */
  readonly updatePort?: boolean;
  readonly concurrency?: number;
  readonly onResult?: (result: CaseResult) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export interface Suite {
  readonly cases: readonly GoldenCase[];
  readonly legacy: BinDir;
  readonly port: BinDir;
  readonly results: CaseResult[];
}

export async function runSuite(options: SuiteOptions = {}): Promise<Suite> {
  const env = options.env ?? process.env;
  const sides = options.sides ?? ['legacy', 'port'];
  const cases = (await loadCases()).filter((c) => !options.filter || options.filter.test(c.id));
  // The legacy side also runs for port-only runs of 'sides' cases (the port is compared to it).
  const needLegacy = sides.includes('legacy') || cases.some((c) => c.compare === 'sides');
  const legacy = needLegacy ? legacyBinDir(env) : { dir: null, problem: 'not requested' };
  const port = sides.includes('port') ? portBinDir(env) : { dir: null, problem: 'not requested' };
  const harness = await prepareHarness();
  const results: CaseResult[] = [];
  const report = (r: CaseResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  const legacySpellings = legacy.dir ? binDirSpellings(legacy.dir) : [];
  const portSpellings = port.dir ? binDirSpellings(port.dir) : [];

  const jobs = cases.map((c) => async () => {
    let legacyObs: Observation | null = null;
    if (legacy.dir && (sides.includes('legacy') || c.compare === 'sides')) {
      legacyObs = normaliseObservation(await runInSandbox(harness, c, 'legacy', legacy.dir), { binDirs: legacySpellings, dashLineNumbers: true });
    }
    if (sides.includes('legacy')) report(judgeLegacy(c, legacy, legacyObs, options.update ?? false));
    if (sides.includes('port')) {
      if (!hasProgram(port, c.program)) {
        report({ case: c, side: 'port', status: 'pending', problems: [`${c.program} is not in ${port.dir}`] });
        return;
      }
      const portObs = normaliseObservation(await runInSandbox(harness, c, 'port', port.dir as string), { binDirs: portSpellings, dashLineNumbers: false });
      report(judgePort(c, portObs, legacyObs, options.updatePort ?? false));
    }
  });

  try {
    await pool(jobs, options.concurrency ?? 4);
  } finally {
    harness.cleanup();
  }
  return { cases, legacy, port, results };
}

function judgeLegacy(c: GoldenCase, legacy: BinDir, obs: Observation | null, update: boolean): CaseResult {
  if (!obs) return { case: c, side: 'legacy', status: 'fail', problems: [`no legacy bin dir: ${legacy.problem}`] };
  if (c.compare === 'sides') {
    // Host-dependent output: only the harness itself can fail here; the port is compared to it.
    const problems = obs.harnessErrors?.length ? [`harness errors:\n  ${obs.harnessErrors.join('\n  ')}`] : [];
    return { case: c, side: 'legacy', status: problems.length ? 'fail' : 'pass', problems, observation: obs };
  }
  if (update && !obs.harnessErrors?.length) writeExpectation(c.id, 'legacy', obs);
  const expected = readExpectation(c.id, 'legacy');
  if (!expected) {
    return { case: c, side: 'legacy', status: 'fail', problems: [`no expectation ${path.relative(ROOT, expectationPath(c.id, 'legacy'))} (run with --update, then review it against the contract)`], observation: obs };
  }
  const problems = diffObservations(expected, obs);
  return { case: c, side: 'legacy', status: problems.length ? 'fail' : 'pass', problems, observation: obs };
}

function judgePort(c: GoldenCase, portObs: Observation, legacyObs: Observation | null, updatePort: boolean): CaseResult {
  let expected: Observation | null;
  let obs = portObs;
  const problems: string[] = [];
  if (c.compare === 'sides') {
    expected = legacyObs && maskHostFigures(legacyObs);
    obs = maskHostFigures(obs);
    if (!expected) problems.push('the legacy side did not run, and this case compares the port with it');
  } else {
    const divergent = (c.divergences?.length ?? 0) > 0;
    if (updatePort && divergent && !obs.harnessErrors?.length) writeExpectation(c.id, 'port', obs);
    const portExpected = readExpectation(c.id, 'port');
    if (divergent && !portExpected) problems.push(`case lists ${c.divergences?.join(', ')} but ${path.relative(ROOT, expectationPath(c.id, 'port'))} does not exist`);
    if (!divergent && portExpected) problems.push(`${path.relative(ROOT, expectationPath(c.id, 'port'))} exists but the case lists no divergence`);
    expected = portExpected ?? readExpectation(c.id, 'legacy');
    if (!expected) problems.push(`no expectation ${path.relative(ROOT, expectationPath(c.id, 'legacy'))}`);
  }
  if (expected) problems.push(...diffObservations(expected, obs));
  return { case: c, side: 'port', status: problems.length ? 'fail' : 'pass', problems, observation: obs };
}

async function pool(jobs: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as () => Promise<void>;
      await job();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** One result as text: `PASS legacy router-status-empty` plus indented problems. */
export function formatResult(r: CaseResult): string {
  const head = `${r.status === 'pass' ? 'PASS' : r.status === 'pending' ? 'PEND' : 'FAIL'} ${r.side.padEnd(6)} ${r.case.id}`;
  if (r.status === 'pass') return head;
  return `${head}  (${r.case.title})\n${r.problems.map((p) => p.replace(/^/gm, '    ')).join('\n')}`;
}
