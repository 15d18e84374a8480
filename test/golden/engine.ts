// The golden runner's engine: finds the two bin dirs, loads the cases, runs each case in its
// own sandbox (unshare + the bundled driver), normalises what it saw, and judges it against
// the committed expectations. Used by golden.test.ts (uvu) and cli.ts (`npm run golden`).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnInNamespaces } from '../../scripts/lib/namespace.ts';
import { killProcess } from '../../scripts/lib/process.ts';
import { makeTestCa, type TestCa } from '../../scripts/lib/tls.ts';
import { diffObservations } from './diff.ts';
import { maskHostFigures, normaliseObservation } from './normalise.ts';
import type { GoldenCase, LegacyProgram, Observation, RawObservation } from './types.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CASES_DIR = path.join(ROOT, 'test', 'golden', 'cases');
export const EXPECTED_DIR = path.join(ROOT, 'test', 'golden', 'expected');
const WORK_DIR = path.join(ROOT, 'build', 'golden');
const PROGRAMS: readonly LegacyProgram[] = ['router', 'base64', 'probe', 'watcher', 'watcher-srv'];

export type Side = 'legacy' | 'port';

// ---------------------------------------------------------------- bin dirs

export interface BinDir {
  readonly dir: string | null;
  /** Why there is no dir (legacy build failed, ...). */
  readonly problem?: string;
}

/** Builds the originals from legacy/ with scripts/build-legacy.mjs into `out`. */
function buildLegacy(out: string): BinDir {
  const script = path.join(ROOT, 'scripts', 'build-legacy.mjs');
  const r = spawnSync(process.execPath, [script, out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return { dir: null, problem: `build-legacy failed (${r.status}): ${r.stderr || r.stdout}` };
  return { dir: out };
}

/** PORT_BIN_DIR, else dist/bin (built by `npm run build`). */
export function portBinDir(env = process.env): BinDir {
  return { dir: path.resolve(env.PORT_BIN_DIR || path.join(ROOT, 'dist', 'bin')) };
}

// ---------------------------------------------------------------- staged bin dirs

/** A side's programs where the sandboxes run them, and where they came from (for reports). */
export interface StagedBinDir extends BinDir {
  /** LEGACY_BIN_DIR, PORT_BIN_DIR or dist/bin as given, or `legacy/` for the rebuilt originals. */
  readonly from: string;
  /** Every spelling of the copy and of the dir it was copied from (N1). */
  readonly spellings: readonly string[];
}

export interface Stage {
  readonly legacy: StagedBinDir;
  readonly port: StagedBinDir;
  cleanup(): void;
}

/**
 * Each run executes private copies of the programs, never the checkout's own files: the cases
 * with `runAs: 'nobody'` exec the program as uid 65534, which cannot enter a checkout under
 * /root (mode 0700) or a `mktemp -d` dir. The copies live in a fresh mode-0755 dir under a temp
 * dir every user can traverse, removed by cleanup(). The originals from legacy/ are built
 * straight into their copy, since scripts/build-legacy.mjs writes the bin dir into each
 * program's PATH line; LEGACY_BIN_DIR and the port's programs are copied (symlinks followed).
 */
export function stageBinDirs(sides: { legacy: boolean; port: boolean }, env = process.env): Stage {
  const root = mkdtempSync(path.join(worldTraversableTmp(), 'sentinella-golden-bin-'));
  chmodSync(root, 0o755);
  const into = (side: Side) => {
    const dir = path.join(root, side);
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    return dir;
  };
  const staged = (bin: BinDir, from: string, fromDir?: string): StagedBinDir => ({
    ...bin,
    from,
    spellings: [...(bin.dir ? binDirSpellings(bin.dir) : []), ...(fromDir ? binDirSpellings(fromDir) : [])],
  });
  const notRequested = staged({ dir: null, problem: 'not requested' }, '(not requested)');
  let legacy = notRequested;
  if (sides.legacy) {
    const given = env.LEGACY_BIN_DIR ? path.resolve(env.LEGACY_BIN_DIR) : null;
    if (given) legacy = staged(copyPrograms(given, into('legacy')), given, given);
    else legacy = staged(buildLegacy(into('legacy')), 'legacy/ (built by scripts/build-legacy.mjs)');
  }
  let port = notRequested;
  if (sides.port) {
    const from = portBinDir(env).dir as string;
    port = staged(copyPrograms(from, into('port')), from, from);
  }
  return { legacy, port, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Copies the programs `from` holds into `to` (a missing one stays missing: its cases fail). */
function copyPrograms(from: string, to: string): BinDir {
  for (const program of PROGRAMS) {
    const source = path.join(from, program);
    if (!existsSync(source)) continue;
    copyFileSync(source, path.join(to, program));
    chmodSync(path.join(to, program), statSync(source).mode & 0o7777);
  }
  return { dir: to };
}

/** os.tmpdir() when every user can traverse it and its parents, else /tmp. */
function worldTraversableTmp(): string {
  const tmp = realpathSync(os.tmpdir());
  for (let dir = tmp; ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dir === path.dirname(dir)) return tmp;
  }
}

export function hasProgram(bin: BinDir, program: LegacyProgram): boolean {
  return bin.dir !== null && existsSync(path.join(bin.dir, program));
}

/** The program a side runs for a case (the legacy side may run a variant, `legacyProgram`). */
export function programOf(c: GoldenCase, side: Side): LegacyProgram {
  return side === 'legacy' ? (c.legacyProgram ?? c.program) : c.program;
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

/**
 * Every `cases` array exported by test/golden/cases/*.ts (`_*.ts` are helpers), ids checked
 * for uniqueness. A case file without a `cases` array is an error, not a file silently left out.
 */
export async function loadCases(): Promise<GoldenCase[]> {
  const all: GoldenCase[] = [];
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(CASES_DIR, file)).href)) as { cases?: GoldenCase[] };
    if (!Array.isArray(mod.cases)) throw new Error(`golden case file cases/${file} exports no \`cases\` array`);
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
  writeFileSync(`${base}.spec.json`, JSON.stringify({ case: c, program: programOf(c, side), binDir, tls: harness.tls, outPath }));
  const boundMs = (c.timeoutMs ?? (c.program === 'router' || c.program === 'base64' ? 15000 : 30000)) + 30000;
  const { child, exit } = spawnInNamespaces([process.execPath, harness.driver, `${base}.spec.json`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    boundMs,
  });
  let driverOutput = '';
  child.stdout?.on('data', (d) => (driverOutput += d));
  child.stderr?.on('data', (d) => (driverOutput += d));
  const { code, signal, timedOut, error } = await exit;
  const status = timedOut
    ? 'killed after the runner bound'
    : error
      ? `spawn error: ${error.message}`
      : signal
        ? `signal ${signal}`
        : `exit ${code}`;
  // The driver stops its programs itself; these are for a driver that died first.
  if (existsSync(`${outPath}.pgids`)) {
    for (const pgid of readFileSync(`${outPath}.pgids`, 'utf8').split('\n').filter(Boolean)) killProcess(Number(pgid), 'SIGKILL', true);
  }
  if (!existsSync(outPath)) {
    return {
      stdout: '',
      stderr: '',
      exit: 'harness error',
      harnessErrors: [`sandbox driver ${status}, no observation: ${driverOutput.slice(0, 4000)}`],
    };
  }
  return JSON.parse(readFileSync(outPath, 'utf8')) as RawObservation;
}

// ---------------------------------------------------------------- the suite

export interface CaseResult {
  readonly case: GoldenCase;
  readonly side: Side;
  readonly status: 'pass' | 'fail';
  /** Readable reasons for a fail. */
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
  /** The staged copies (removed once the suite is over; `from` says what they were). */
  readonly legacy: StagedBinDir;
  readonly port: StagedBinDir;
  readonly results: CaseResult[];
}

export async function runSuite(options: SuiteOptions = {}): Promise<Suite> {
  const env = options.env ?? process.env;
  const sides = options.sides ?? ['legacy', 'port'];
  const cases = (await loadCases()).filter((c) => !options.filter || options.filter.test(c.id));
  // The legacy side also runs for port-only runs of 'sides' cases (the port is compared to it).
  const needLegacy = sides.includes('legacy') || cases.some((c) => c.compare === 'sides');
  const stage = stageBinDirs({ legacy: needLegacy, port: sides.includes('port') }, env);
  const { legacy, port } = stage;
  const harness = await prepareHarness().catch((e: unknown) => {
    stage.cleanup();
    throw e;
  });
  const results: CaseResult[] = [];
  const report = (r: CaseResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  const jobs = cases.map((c) => async () => {
    let legacyObs: Observation | null = null;
    if (legacy.dir && !hasProgram(legacy, programOf(c, 'legacy'))) {
      if (sides.includes('legacy')) report(missingProgram(c, 'legacy', legacy));
    } else if (legacy.dir && (sides.includes('legacy') || c.compare === 'sides')) {
      legacyObs = normaliseObservation(await runInSandbox(harness, c, 'legacy', legacy.dir), {
        binDirs: legacy.spellings,
        dashLineNumbers: true,
      });
    }
    if (sides.includes('legacy')) report(judgeLegacy(c, legacy, legacyObs, options.update ?? false));
    if (sides.includes('port')) {
      if (!hasProgram(port, c.program)) {
        report(missingProgram(c, 'port', port));
        return;
      }
      const portObs = normaliseObservation(await runInSandbox(harness, c, 'port', port.dir as string), {
        binDirs: port.spellings,
        dashLineNumbers: false,
      });
      report(judgePort(c, portObs, legacyObs, options.updatePort ?? false));
    }
  });

  try {
    await pool(jobs, options.concurrency ?? 4);
  } finally {
    harness.cleanup();
    stage.cleanup();
  }
  return { cases, legacy, port, results };
}

/** A side's bin dir without the case's program: the case fails (nothing ran). */
function missingProgram(c: GoldenCase, side: Side, bin: StagedBinDir): CaseResult {
  return {
    case: c,
    side,
    status: 'fail',
    problems: [
      `${programOf(c, side)} is not in the ${side} bin dir ${bin.from}: ${side === 'port' ? 'run npm run build or set PORT_BIN_DIR' : 'run npm run build:legacy or set LEGACY_BIN_DIR'}`,
    ],
  };
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
    return {
      case: c,
      side: 'legacy',
      status: 'fail',
      problems: [
        `no expectation ${path.relative(ROOT, expectationPath(c.id, 'legacy'))} (run with --update, then review it against the contract)`,
      ],
      observation: obs,
    };
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
    if (divergent && !portExpected)
      problems.push(`case lists ${c.divergences?.join(', ')} but ${path.relative(ROOT, expectationPath(c.id, 'port'))} does not exist`);
    if (!divergent && portExpected)
      problems.push(`${path.relative(ROOT, expectationPath(c.id, 'port'))} exists but the case lists no divergence`);
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
  const head = `${r.status === 'pass' ? 'PASS' : 'FAIL'} ${r.side.padEnd(6)} ${r.case.id}`;
  if (r.status === 'pass') return head;
  return `${head}  (${r.case.title})\n${r.problems.map((p) => p.replace(/^/gm, '    ')).join('\n')}`;
}
