// No value of any variable makes a program print a stack trace (issue 8): every program of
// dist/bin runs with generated values (seeded, reproducible) for each of its variables, and its
// stderr must hold no JavaScript stack frame or uncaught error; a value the originals' tools
// would refuse gets that tool's outcome or a clear error naming the variable (D14).
//
// Each run is in a network namespace of its own (`unshare --net`: no interface up), so a
// generated URL or peer name cannot send a packet anywhere, loopback included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNamespaces } from '../../scripts/lib/namespace.ts';
import { run as runProcess, type RunResult } from '../../scripts/lib/process.ts';
import { Prng } from '../support/prng.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (program: string): string => path.join(process.env.PORT_BIN_DIR ?? path.join(root, 'dist/bin'), program);
/** STATE_DIR and METRICS_FILE values are kept inside this directory, removed at the end. */
const scratch = mkdtempSync(path.join(tmpdir(), 'sentinella-env-values-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** What a stack trace or an uncaught error looks like on Node's stderr. */
const STACK =
  /^\s+at .+(:\d+:\d+\)?|\(node:.*)$|^(TypeError|RangeError|SyntaxError|ReferenceError|Error)(\s\[\w+\])?: |node:internal|Uncaught/m;

/** Fragments values are built from: numbers in every form the tools read, bytes, shell syntax. */
const FRAGMENTS = [
  '',
  ' ',
  '\t',
  '\n',
  '0',
  '1',
  '-1',
  '5',
  '07',
  '08',
  '0x10',
  '1e3',
  '1e999',
  '.5',
  '5.',
  '+3',
  'nan',
  'inf',
  '99999999999999999999',
  '65536',
  'a',
  'é',
  '☃',
  '\u{1F600}',
  '\x01',
  '\x7f',
  '\xff',
  '%',
  '%00',
  '\\',
  '\\c',
  '\\0',
  '\\e',
  '"',
  "'",
  '$',
  '`',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '/',
  '..',
  '.',
  ':',
  '@',
  '#',
  'http://',
  'https://',
  'ftp://',
  '127.0.0.1',
  '::1',
  '[::1]',
  'localhost',
  '/proc',
  '/nonexistent',
  '/tmp',
  ';',
  '|',
  '&',
  '=',
  'x'.repeat(300),
];

function values(seed: number, count: number): string[] {
  const rng = new Prng(seed);
  const out = ['', ' ', 'x'.repeat(20000), '\u{1F600}'.repeat(50)];
  while (out.length < count) out.push(rng.join(FRAGMENTS, rng.int(1, 4)));
  return out;
}

/** Runs `program` in its own network namespace; stdin written then closed; killed after `ms`. */
function runIsolated(program: string, env: Record<string, string>, stdin: string, ms: number): Promise<RunResult> {
  return runInNamespaces([process.execPath, bin(program)], {
    namespaces: { mount: false },
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/nonexistent', ...env },
    input: stdin,
    timeoutMs: ms,
    maxBuffer: 1 << 20,
  });
}

/** Runs every job, `width` at a time. */
async function inBatches<T>(jobs: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width) results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

interface Plan {
  readonly program: string;
  readonly variables: readonly string[];
  /** The other variables every run sets (a watcher needs its required ones to get going). */
  readonly base: Record<string, string>;
  readonly stdin: string;
  /** How long a run may go on before it is killed (daemons are killed; that is not a failure). */
  readonly ms: number;
  readonly perVariable: number;
}

const PLANS: readonly Plan[] = [
  {
    program: 'router',
    variables: ['URLS', 'VOLUMES', 'TIMEOUT', 'AUTH_FILE', 'CERT_DAYS', 'STATUS_PAGE'],
    base: {},
    stdin: 'GET / HTTP/1.1\r\n\r\n',
    ms: 8000,
    perVariable: 30,
  },
  {
    program: 'probe',
    variables: ['PORT', 'URLS', 'VOLUMES', 'TIMEOUT', 'AUTH_FILE', 'CERT_DAYS', 'STATUS_PAGE'],
    base: {},
    stdin: '',
    ms: 700,
    perVariable: 12,
  },
  {
    program: 'watcher',
    variables: [
      'PEERS_DNS',
      'TG_TOKEN',
      'TG_CHAT_ID',
      'SELF',
      'PEERS_PORT',
      'PEERS_SCHEME',
      'PEERS_TOKEN',
      'TIMEOUT',
      'POLLING_INTERVAL_SEC',
      'STATE_DIR',
      'SPAM',
      'DIGEST',
      'ALERTMANAGER_URLS',
      'WEBHOOK_URLS',
      'TG_API_URL',
      'METRICS_FILE',
    ],
    base: { PEERS_DNS: 'localhost', TG_TOKEN: '1:x', TG_CHAT_ID: '-1', TIMEOUT: '1', POLLING_INTERVAL_SEC: '1' },
    stdin: '',
    ms: 1500,
    perVariable: 8,
  },
  { program: 'base64', variables: [], base: {}, stdin: '', ms: 3000, perVariable: 0 },
];

for (const plan of PLANS) {
  test(`${plan.program}: no stack trace for any generated value of its variables`, async () => {
    if (!existsSync(bin(plan.program))) assert.unreachable(`${bin(plan.program)} missing: run npm run build`);
    const jobs: Array<() => Promise<string | undefined>> = [];
    plan.variables.forEach((name, i) => {
      for (const value of values(0x5e17 + i, plan.perVariable)) {
        const env = { ...plan.base, [name]: value };
        // STATE_DIR and METRICS_FILE must stay inside what the test may write: a temp path.
        if (name === 'STATE_DIR' || name === 'METRICS_FILE') env[name] = `${scratch}/${value.replace(/\//g, '_').slice(0, 100)}`;
        jobs.push(async () => {
          const run = await runIsolated(plan.program, env, plan.stdin, plan.ms);
          return STACK.test(run.stderr) ? `${name}=${JSON.stringify(value).slice(0, 80)}: ${run.stderr.slice(0, 400)}` : undefined;
        });
      }
    });
    if (plan.program === 'base64') {
      // base64's input is its arguments: every generated value as STRING, for both modes.
      for (const value of values(0xb64, 40)) {
        for (const mode of ['encode', 'decode']) {
          jobs.push(async () => {
            const run = await runProcess(process.execPath, [bin('base64'), mode, value], { timeoutMs: plan.ms });
            return STACK.test(run.stderr) ? `base64 ${mode} ${JSON.stringify(value).slice(0, 80)}: ${run.stderr.slice(0, 400)}` : undefined;
          });
        }
      }
    }
    const found = (await inBatches(jobs, 8)).filter((problem): problem is string => problem !== undefined);
    console.log(`    ${plan.program}: ${jobs.length} runs, ${found.length} with a stack trace`);
    assert.equal(found, []);
  });
}

test('the stack-trace pattern recognises what Node prints for an uncaught error', () => {
  assert.ok(
    STACK.test('file:///x/dist/bin/router:1\nTypeError: Cannot read properties of undefined\n    at f (file:///x/dist/bin/router:1:200)\n'),
  );
  assert.ok(STACK.test('node:internal/process/esm_loader:40\n'));
  assert.not.ok(STACK.test('\x1b[31mcannot read AUTH_FILE /x (permission denied): refusing every request\x1b[0m\n'));
  assert.not.ok(STACK.test('watcher: TIMEOUT must be a number of seconds, got "x"\n'));
});

test.run();
