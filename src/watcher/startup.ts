// Start-up of the watcher (docs/behaviour.md §6.1-2), before any round: the state directory (with the
// originals' fallback), then the required variables, then the numbers (D14).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EnvError, missingWatcherVariable, readVariable, readWatcherEnv, type Environment, type WatcherConfig } from '../env.ts';

export type Startup =
  | { readonly ok: true; readonly config: WatcherConfig }
  | { readonly ok: false; readonly status: number; readonly stderr: string };

/** Where start-up failed before any round, and what the originals print then. */
export class StartupError extends Error {
  constructor(
    readonly status: number,
    readonly stderr: string,
  ) {
    super(stderr);
  }
}

/**
 * `mkdir -p STATE_DIR 2>/dev/null || { STATE_DIR=$HOME/.local/$(basename STATE_DIR); mkdir -p
 * STATE_DIR; }`. Returns the directory used. When the fallback fails too, the originals end
 * with mkdir's own message (status 1); for that rare path the port runs mkdir itself to print
 * exactly what it prints. HOME unset is dash's nounset error (status 2).
 */
export function prepareStateDir(stateDir: string, home: string | undefined, programPath = 'watcher'): string {
  try {
    mkdirParents(stateDir);
    return stateDir;
  } catch {
    if (home === undefined) throw new StartupError(2, `${programPath}: HOME: parameter not set\n`);
    const fallback = `${home}/.local/${path.basename(stateDir)}`;
    try {
      mkdirParents(fallback);
      return fallback;
    } catch (err) {
      const mkdir = spawnSync('mkdir', ['-p', fallback], { encoding: 'utf8', timeout: 5000 });
      if (mkdir.status === 0) return fallback;
      const reason = (err as Error).message;
      throw new StartupError(1, mkdir.stderr || `mkdir: cannot create directory '${fallback}': ${reason}\n`);
    }
  }
}

/**
 * `mkdir -p`, one component at a time. Not fs.mkdirSync's `recursive`: on Node 20 that loops
 * forever on a path under /proc (ENOENT from a parent it cannot create).
 */
export function mkdirParents(dir: string): void {
  const absolute = path.resolve(dir);
  const parts = absolute.split('/').filter((p) => p !== '');
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    try {
      fs.mkdirSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!fs.statSync(current).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
    }
  }
}

/**
 * SELF's words as the originals match them (§6.4): an address is local when ` <address> `
 * occurs in ` <SELF> `, so only spaces separate words (a tab or newline is part of a word).
 */
export function selfWords(self: string): string[] {
  return self.split(' ').filter((word) => word !== '');
}

const CURL_MAX_TIMEOUT = 9223372036854775807 / 1000; // curl 7.88: (double)LONG_MAX / 1000
const SMALLEST_NORMAL = 2.2250738585072014e-308;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * TIMEOUT as curl 7.88 reads `-m` (str2udouble): glibc strtod must consume all of it (leading
 * blanks, a sign, decimal or hex digits, an exponent), no overflow or underflow (ERANGE),
 * at most LONG_MAX/1000 and not negative. Undefined when curl refuses it; `inf` and `nan`
 * are left to D14 as well.
 */
export function curlSeconds(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?|([0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?))$/.exec(text);
  if (!m) return undefined;
  const [, sign, hexInt, hexFrac, hexExp, decimal] = m;
  let value: number;
  let digits: string;
  if (decimal !== undefined) {
    digits = decimal.replace(/[eE].*$/, '').replace('.', '');
    if (digits === '') return undefined;
    value = Number(decimal.startsWith('.') || decimal.endsWith('.') ? decimal.replace(/\.$/, '').replace(/^\./, '0.') : decimal);
    if (decimal.includes('.e') || decimal.includes('.E')) value = Number(decimal.replace('.', ''));
  } else {
    digits = `${hexInt ?? ''}${hexFrac ?? ''}`;
    if (digits === '') return undefined;
    const frac = hexFrac ?? '';
    value = (parseInt(`${hexInt || '0'}${frac}`, 16) / 16 ** frac.length) * 2 ** Number(hexExp ?? '0');
  }
  const nonZero = /[1-9a-fA-F]/.test(digits);
  if (!Number.isFinite(value) || (nonZero && value < SMALLEST_NORMAL)) return undefined; // ERANGE
  if (value > CURL_MAX_TIMEOUT) return undefined;
  if (sign === '-' && value !== 0) return undefined;
  return value;
}

export function startWatcher(env: Environment, programPath: string): Startup {
  const wanted = readVariable(env, 'STATE_DIR', '/var/lib/sentinella') as string;
  let stateDir: string;
  try {
    // dash's nounset: only an unset HOME is an error (an empty one is used as it is).
    stateDir = prepareStateDir(wanted, env.HOME, programPath);
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    return { ok: false, status: err.status, stderr: err.stderr };
  }
  const missing = missingWatcherVariable(env);
  if (missing !== null) return { ok: false, status: 3, stderr: `${missing} not set\n` };
  try {
    const self = readVariable(env, 'SELF');
    // TIMEOUT is curl's `-m` value: every text curl accepts works (D14 names only the others).
    const timeout = readVariable(env, 'TIMEOUT');
    const seconds = timeout === undefined ? undefined : curlSeconds(timeout);
    // curl sets the limit in whole milliseconds (`(long)(timeout * 1000)`; 0 is no limit);
    // beyond what a Node timer holds (about 24.8 days) it is no limit here too.
    const ms = seconds === undefined ? undefined : Math.floor(seconds * 1000);
    const usable = ms === undefined ? undefined : ms > MAX_TIMER_MS ? 0 : ms / 1000;
    const numbers = usable === undefined ? env : { ...env, TIMEOUT: String(usable) };
    return { ok: true, config: { ...readWatcherEnv(numbers), stateDir, self: self === undefined ? null : selfWords(self) } };
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    return { ok: false, status: 2, stderr: `${programPath}: ${err.message}\n` };
  }
}
