// Differential test, the numbers the originals' tools read (D14, docs/behaviour.md §4.7, §6 a,
// §6.4, §6.7): the same generated texts (signs, blanks, hex, exponents, hex floats, inf/nan,
// suffixes, garbage tails, leading zeros, huge and tiny values) go to the real tool and to the
// port's reader of the variable, which must refuse exactly what the tool refuses and read the
// rest to what the tool uses:
//
// - TIMEOUT, every program (src/env.ts, src/compat/curl-options.ts curlMaxTime): `curl -m X
//   file:///dev/null` accepts (exit 0) or prints `curl: option -m: <complaint>` (exit 2),
//   compared with the complaint too. Where the port reads 100-600 ms, curl against a loopback
//   server that never answers must report `Operation timed out after N milliseconds` with N
//   from the port's value (less 10 ms: curl measures from its own start) to 500 ms more; where
//   the port reads no limit (0 ms), curl must still be waiting after 1.5 s.
// - POLLING_INTERVAL_SEC (src/compat/coreutils-sleep.ts sleepSeconds): `timeout T sleep X`
//   exits 1 when sleep refuses it, 0 when it slept and ended, 124 while it still sleeps. Where
//   the port reads at most 10 ms, sleep must end (T = 3 s); at least 600 ms, it must still
//   sleep at T = 300 ms. sleep's `--help`/`--version` (and abbreviations), which print and do
//   not sleep, are the port's one documented refusal of a text sleep takes (D14).
// - PEERS_PORT (src/env.ts, src/compat/curl-url.ts readTarget): `http://127.0.0.1:<text>`, the
//   watcher's URL, through a loopback proxy that records what curl asks for (request line and
//   Host: the port, path and host as curl read them), or curl's refusal. A glob of several URLs
//   is D29 (curl fetches those it can, the port refuses the text at start-up).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { Prng } from '../support/prng.ts';
import { reportFigures, show } from './support.ts';
import { startRawServer } from '../support/raw-server.ts';
import { curlGlob, hostHeader, readTarget } from '../../src/compat/curl-url.ts';
import { curlMaxTime, type CurlMaxTime } from '../../src/compat/curl-options.ts';
import { sleepSeconds } from '../../src/compat/coreutils-sleep.ts';
import { EnvError, PEERS_PORT, POLLING_INTERVAL_SEC, TIMEOUT, type Program } from '../../src/env.ts';
import { peerUrl } from '../../src/watcher/message.ts';

const SEED = 0x14;
const GENERATED = 420;
const GENERATED_PORTS = 220;
const WORKERS = 6;
const TOOL_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };

const version = (command: string): string =>
  spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout?.split('\n')[0] ?? '';
const CURL = version('curl');
const SLEEP = version('sleep');
const curlTest = CURL.startsWith('curl 7.88.') ? test : test.skip;
const sleepTest = /^sleep \(GNU coreutils\) 9\.1$/.test(SLEEP) ? test : test.skip;
if (curlTest === test.skip) console.log(`numbers: curl tests skipped (they are recorded from curl 7.88; found ${JSON.stringify(CURL)})`);
if (sleepTest === test.skip) console.log(`numbers: sleep test skipped (recorded from coreutils 9.1; found ${JSON.stringify(SLEEP)})`);

// ---- the generated texts

const BLANKS = [' ', '\t', '\n', '\v', '\f', '\r'];
const TAILS = [' ', 'x', 's', 'm', 'h', 'd', 'S', 'ss', ',5', 'e', 'e+', 'p', '.', ' 2', '(', ')', 'ms', '\n', '1', 'sx'];

function digits(rng: Prng, count: number, alphabet = '0123456789'): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function exponent(rng: Prng, letters: readonly string[]): string {
  const size = rng.next() < 0.1 ? rng.pick(['400', '330', '99999', '0000000000000000000001']) : digits(rng, rng.int(1, 3));
  return rng.pick(letters) + rng.pick(['', '', '+', '-']) + size;
}

function randomCase(rng: Prng, text: string): string {
  return [...text].map((c) => (rng.next() < 0.5 ? c.toUpperCase() : c)).join('');
}

/** One number-like text: mostly something strtod reads, often with a twist. */
function numberText(rng: Prng): string {
  const blank = rng.next() < 0.15 ? rng.join(BLANKS, rng.int(1, 2)) : '';
  const sign = rng.pick(['', '', '', '+', '-']);
  let body: string;
  switch (rng.int(0, 7)) {
    case 0:
    case 1: {
      const whole = (rng.next() < 0.2 ? '00' : '') + digits(rng, rng.int(0, 4));
      const frac = rng.next() < 0.5 ? `.${digits(rng, rng.int(0, 4))}` : '';
      body = whole + frac + (rng.next() < 0.3 ? exponent(rng, ['e', 'E']) : '');
      break;
    }
    case 2: {
      const hex = '0123456789abcdefABCDEF';
      const frac = rng.next() < 0.5 ? `.${digits(rng, rng.int(0, 3), hex)}` : '';
      body = rng.pick(['0x', '0X']) + digits(rng, rng.int(0, 3), hex) + frac + (rng.next() < 0.4 ? exponent(rng, ['p', 'P']) : '');
      break;
    }
    case 3:
      body = randomCase(
        rng,
        rng.pick(['inf', 'infinity', 'infinit', 'nan', 'nan()', `nan(${digits(rng, 3, 'az_09')})`, 'nan(', 'na', 'i']),
      );
      break;
    case 4:
      // Large: curl's limit LONG_MAX/1000 = 9223372036854775.808, Node's timer 2^31-1 ms.
      body = rng.pick([
        digits(rng, rng.int(16, 30)),
        '9223372036854775',
        '9223372036854776',
        '9223372036854777',
        '2147483.647',
        '2147483.648',
        '1e15',
        '9.3e15',
      ]);
      break;
    case 5: {
      // 0.1-0.6 s in several spellings: the timed checks.
      const ms = rng.int(100, 600);
      body = rng.pick([
        `0.${String(ms).padStart(3, '0')}`,
        `${ms}e-3`,
        `.${ms}`,
        `0x${(ms / 1000).toString(16).slice(0, 8)}`,
        `${ms / 1000}`,
      ]);
      break;
    }
    case 6:
      // Tiny: no limit for curl (0 ms), an underflow (ERANGE), or a subnormal.
      body = rng.pick([
        `1e-${rng.int(4, 9)}`,
        `1e-${rng.int(300, 330)}`,
        `0x1p-${rng.int(1018, 1080)}`,
        '4.9e-324',
        '0x1.8p-1074',
        '0',
        '0.0',
        '.0e9',
      ]);
      break;
    default:
      body = rng.join(['1', '.', 'e', 'x', '0', '-', '+', ' ', 'p', 'a', 'n', 'i', 'f', 's', 'z'], rng.int(0, 4));
  }
  const tail = rng.next() < 0.2 ? rng.pick(TAILS) : '';
  return blank + sign + body + tail;
}

/** Edge cases recorded by hand from curl 7.88.1 and coreutils 9.1 (see the unit tests). */
const EDGE_NUMBERS = [
  '2e0',
  '+0x2',
  ' 2',
  '0x1p1',
  'inf',
  'nan',
  '-inf',
  '-0',
  ' -0',
  '2 ',
  '2.',
  '.5',
  '.',
  '',
  'e1',
  '1e400',
  '1e-400',
  '0x',
  '0x.',
  '0x.8',
  '1e',
  '2s',
  '3e-1',
  '+0.2',
  ' 0.2',
  '0x0.4p0',
  '0.2s',
  '0.001m',
  '0.00001h',
  '0.000001d',
  '0.2ss',
  '0.2S',
  'infinity',
  'infs',
  'nans',
  'nan(1)',
  '-nan',
  '1e-310',
  '0x1p-1074',
  '0x1p-1075',
  '0x1.fffffffffffffp-1023',
  '0x1.fffffffffffff8p-1023',
  '9.3e15',
  '9223372036854776',
  '0.0019',
  '--',
  '-',
  '--help',
  '--he',
  '--version',
  '-1',
  '1 2',
  '0.01 0.01',
  '0x1d',
  'constructor',
];

function portText(rng: Prng): string {
  const lead = rng.pick(['', '', '', '', '', ' ', '+', '-', '0', '00', '0x', '０']);
  const number = rng.pick([
    String(rng.int(0, 70_000)),
    String(rng.int(1, 1000)),
    '5988',
    '65535',
    '65536',
    '0',
    digits(rng, rng.int(6, 25)),
    '',
  ]);
  const tail = rng.next() < 0.3 ? rng.pick(['/', '/x', '?q', '#f', 'x', ' ', '@h', ':1', '.5', 'e3', '%20', '/a/../b', '\t']) : '';
  const text = lead + number + tail;
  const wrap = rng.next();
  return wrap < 0.05 ? `{${text}}` : wrap < 0.08 ? `{${text},1}` : wrap < 0.1 ? `[${text}]` : text;
}

const EDGE_PORTS = [
  '005988',
  '+5988',
  ' 5988',
  '5988 ',
  '65535',
  '65536',
  '0',
  '00',
  '5988/',
  '5988/x',
  '5988?x',
  '5988#x',
  '5988x',
  '0x1764',
  '-1',
  '99999999999',
  '000000000000000000000000005988',
  '5988:1',
  '[1]',
  '{5988}',
  '{5988,5989}',
  '5988@h',
  '%35988',
  '1e3',
];

function inputs<T>(edges: readonly T[], make: (rng: Prng) => T, count: number, seed: number): T[] {
  const rng = new Prng(seed);
  return [...edges, ...Array.from({ length: count }, () => make(rng))];
}

// ---- running the tools, a bounded number at a time

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'latin1', timeout: timeoutMs, env: TOOL_ENV }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      const code = failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null;
      resolve({ code, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

/** Runs `each` over `items`, WORKERS at a time. */
async function pool<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < items.length) await each(items[next++] as T);
    }),
  );
}

/** What the port's reader of `variable` makes of a text for `program`: its value, or refused. */
function portReading<T>(read: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { ok: false };
  }
}

const PROGRAMS: readonly Program[] = ['router', 'probe', 'watcher'];
const MAX_TIMER_MS = 2 ** 31 - 1;

// ---- TIMEOUT: curl -m

/** curl's reading of `-m text`, from its exit status and first stderr line. */
function curlReading(result: Run): CurlMaxTime | string {
  if (result.code === 0) return { ok: true, ms: -1 };
  const complaint = /^curl: option -m: (.*)\n/.exec(result.stderr)?.[1];
  return result.code === 2 && complaint !== undefined ? ({ ok: false, complaint } as CurlMaxTime) : `exit ${result.code}: ${result.stderr}`;
}

curlTest('numbers: TIMEOUT is refused exactly where curl -m refuses it, with the same complaint, in every program', async () => {
  const texts = inputs(EDGE_NUMBERS, numberText, GENERATED, SEED);
  const differences: string[] = [];
  let accepted = 0;
  await pool(texts, async (text) => {
    const curl = curlReading(await run('curl', ['-q', '-sS', '-m', text, '-o', '/dev/null', 'file:///dev/null'], 10_000));
    const port = curlMaxTime(text);
    const same = typeof curl !== 'string' && curl.ok === port.ok && (curl.ok || (!port.ok && curl.complaint === port.complaint));
    if (!same) differences.push(`${show(text)}: curl ${JSON.stringify(curl)}, port ${JSON.stringify(port)}`);
    if (port.ok) accepted += 1;
    // Every program reads TIMEOUT with it: curl's milliseconds (beyond a Node timer, no limit).
    // An empty value is unset (the default 5).
    for (const program of text === '' ? [] : PROGRAMS) {
      const read = portReading(() => TIMEOUT.read({ TIMEOUT: text }, program));
      const expected = port.ok ? (port.ms > MAX_TIMER_MS ? 0 : port.ms / 1000) : undefined;
      if (read.ok !== port.ok || (read.ok && read.value !== expected))
        differences.push(`${show(text)}: ${program} reads ${JSON.stringify(read)}, curl -m gives ${JSON.stringify(port)}`);
    }
  });
  reportFigures('numbers TIMEOUT (curl -m)', texts.length, differences, `(${accepted} accepted, ${texts.length - accepted} refused)`);
  assert.is(differences.length, 0);
});

curlTest('numbers: the limit curl -m sets is the one the port reads (100-600 ms timed, 0 = none)', async () => {
  const texts = inputs(EDGE_NUMBERS, numberText, GENERATED, SEED);
  const timed = [...new Set(texts)].filter((text) => {
    const r = curlMaxTime(text);
    return r.ok && r.ms >= 100 && r.ms <= 600;
  });
  const unlimited = [...new Set(texts)].filter((text) => {
    const r = curlMaxTime(text);
    return r.ok && r.ms === 0;
  });
  const server = await startRawServer(() => 'hang');
  const differences: string[] = [];
  try {
    const url = `http://127.0.0.1:${server.port}/`;
    await pool(timed, async (text) => {
      const { ms } = curlMaxTime(text) as { ms: number };
      const result = await run('curl', ['-q', '-sS', '-m', text, '-o', '/dev/null', url], 10_000);
      const after = /^curl: \(28\) Operation timed out after (\d+) milliseconds/.exec(result.stderr)?.[1];
      if (after === undefined || Number(after) < ms - 10 || Number(after) > ms + 500)
        differences.push(`${show(text)}: port ${ms} ms, curl: ${JSON.stringify(result.stderr)}`);
    });
    // Each waits 1.5 s: a sample is enough (every one shares one reading: 0 ms).
    await pool(unlimited.slice(0, 12), async (text) => {
      const result = await run('curl', ['-q', '-sS', '-m', text, '-o', '/dev/null', url], 1500);
      if (result.signal === null) differences.push(`${show(text)}: port no limit, curl ended: ${JSON.stringify(result)}`);
    });
  } finally {
    await server.close();
  }
  reportFigures(
    'numbers TIMEOUT timed',
    timed.length + Math.min(unlimited.length, 12),
    differences,
    `(${timed.length} timed, ${Math.min(unlimited.length, 12)} with no limit)`,
  );
  assert.ok(timed.length >= 20, `only ${timed.length} timed texts`);
  assert.is(differences.length, 0);
});

// ---- POLLING_INTERVAL_SEC: sleep

/** sleep's `--help` / `--version` and their abbreviations: they print and exit 0 (D14). */
const printsInstead = (text: string): boolean => /^--(h(e(lp?)?)?|v(e(r(s(i(on?)?)?)?)?)?)$/.test(text);

sleepTest('numbers: POLLING_INTERVAL_SEC is refused exactly where sleep refuses it, and sleeps as long', async () => {
  const texts = inputs(EDGE_NUMBERS, numberText, GENERATED, SEED + 1);
  const differences: string[] = [];
  let refused = 0;
  let printing = 0;
  let timed = 0;
  await pool(texts, async (text) => {
    const port = sleepSeconds(text);
    const read = portReading(() => POLLING_INTERVAL_SEC.read({ POLLING_INTERVAL_SEC: text }, 'watcher'));
    // An empty value is unset: the default 3 (sleep itself refuses '').
    if (text !== '' && (read.ok ? read.value.seconds !== port : port !== undefined))
      differences.push(`${show(text)}: the variable reads ${JSON.stringify(read)}, sleepSeconds ${port}`);
    const short = port !== undefined && port <= 0.01;
    const result = await run('timeout', [short ? '3' : '0.3', 'sleep', text], 10_000);
    if (port === undefined) {
      refused += 1;
      if (result.code === 1) return;
      if (printsInstead(text) && result.code === 0 && result.stdout !== '') {
        printing += 1;
        return;
      }
      differences.push(`${show(text)}: port refuses, sleep: ${JSON.stringify(result)}`);
      return;
    }
    // Near the 0.3 s bound either may win the race (a loaded machine): only a reading of 0.6 s
    // and more must still be sleeping.
    const expected = short ? [0] : port >= 0.6 ? [124] : [0, 124];
    if (expected.length === 1) timed += 1;
    if (!expected.includes(result.code ?? -1) || result.stdout !== '')
      differences.push(`${show(text)}: port ${port} s, timeout ${short ? 3 : 0.3} sleep: ${JSON.stringify(result)}`);
  });
  reportFigures(
    'numbers POLLING_INTERVAL_SEC (sleep)',
    texts.length,
    differences,
    `(${refused} refused, ${printing} of them sleep's --help/--version: D14; ${timed} timed)`,
  );
  assert.ok(printing >= 2, 'the edge cases include --help and --version');
  assert.is(differences.length, 0);
});

// ---- PEERS_PORT: curl's URL

curlTest('numbers: PEERS_PORT is refused exactly where curl refuses the peer URL, and read as curl reads it', async () => {
  const texts = inputs(EDGE_PORTS, portText, GENERATED_PORTS, SEED + 2);
  const proxy = await startRawServer(() => Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  const differences: string[] = [];
  let refused = 0;
  let globs = 0;
  try {
    // One at a time: the proxy's heads are matched to the run that sent them.
    for (const text of texts) {
      const url = peerUrl('http', '127.0.0.1', text);
      const before = proxy.heads.length;
      const result = await run('curl', ['-q', '-sS', '-m', '5', '-x', `http://127.0.0.1:${proxy.port}`, '-o', '/dev/null', url], 10_000);
      const curl = proxy.heads.slice(before).map((head) =>
        head
          .toString('latin1')
          .split('\r\n')
          .filter((line, i) => i === 0 || /^host:/i.test(line))
          .join(' | '),
      );
      const read = portReading(() => PEERS_PORT.read({ PEERS_PORT: text }, 'watcher'));
      const target = readTarget(url);
      const port =
        target.kind === 'target'
          ? [`GET http://${hostHeader(target.target)}${target.target.path} HTTP/1.1 | Host: ${hostHeader(target.target)}`]
          : [];
      if (text !== '' && read.ok !== port.length > 0)
        differences.push(`${show(text)}: PEERS_PORT ${JSON.stringify(read)}, readTarget ${target.kind}`);
      if (JSON.stringify(curl) === JSON.stringify(port)) {
        if (port.length === 0) refused += 1;
        continue;
      }
      if (curlGlob(url).kind === 'many' && port.length === 0) {
        globs += 1; // D29: curl fetches the URLs of the glob it can, the port refuses PEERS_PORT
        continue;
      }
      differences.push(`${show(text)}: curl ${JSON.stringify(curl)} (${JSON.stringify(result.stderr)}), port ${JSON.stringify(port)}`);
    }
  } finally {
    await proxy.close();
  }
  reportFigures(
    'numbers PEERS_PORT (curl URL)',
    texts.length,
    differences,
    `(${refused} refused by both, ${globs} globs of several URLs: D29)`,
  );
  assert.is(differences.length, 0);
});

test.run();
