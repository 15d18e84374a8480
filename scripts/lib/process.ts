// Processes, for the tests and the scripts alike: every wait bounded in count and time, every
// process stopped by its PID (or, when it was started detached, by its process group: what it
// started goes with it), tools looked up on PATH as a shell would.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate()` holds (checked every `everyMs`); false once `timeoutMs` has passed. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    if (await predicate()) return true;
    await sleep(everyMs);
  }
  return predicate();
}

/** waitUntil, or an error naming what never came. */
export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  if (!(await waitUntil(predicate, timeoutMs, everyMs))) throw new Error(`timed out waiting for ${what}`);
}

/** Whether every command is on PATH (`command -v`). */
export function have(...commands: string[]): boolean {
  return commands.every((c) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', c], { stdio: 'ignore' }).status === 0);
}

/** Sends `signal` to `pid`, or to its whole process group with `group`; a process already gone is no error. */
export function killProcess(pid: number | undefined, signal: NodeJS.Signals, group = false): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * SIGTERM, SIGKILL if still there after `graceMs`, and waits for the exit. With `group` (a child
 * started detached) the signals go to its process group, and a last SIGKILL to the group takes
 * whatever the leader left behind (socat's routers, a shell's children).
 */
export async function stopProcess(child: ChildProcess, { group = false, graceMs = 3000 } = {}): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const gone = exited(child);
    killProcess(pid, 'SIGTERM', group);
    const timer = setTimeout(() => killProcess(pid, 'SIGKILL', group), graceMs);
    await gone;
    clearTimeout(timer);
  }
  if (group) killProcess(pid, 'SIGKILL', true);
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The bound passed and the process was killed. */
  readonly timedOut: boolean;
  /** It could not be started (spawn error). */
  readonly error?: Error;
}

export interface BoundedOptions extends SpawnOptions {
  /** Past this, the process is killed (its group when `detached`). */
  readonly boundMs: number;
  /** SIGTERM at the bound and SIGKILL this much later; without it, SIGKILL at the bound. */
  readonly graceMs?: number;
}

export interface BoundedChild {
  readonly child: ChildProcess;
  /** Settles once the process has closed its pipes (or could not start); at the latest 5 s after the last kill. */
  readonly exit: Promise<Exit>;
}

/** Spawns `command`, killed by its PID (its group when detached) once `boundMs` has passed. */
export function spawnBounded(command: string, args: readonly string[], options: BoundedOptions): BoundedChild {
  const { boundMs, graceMs, ...spawnOptions } = options;
  const child = spawn(command, args, spawnOptions);
  const group = spawnOptions.detached === true;
  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  const exit = new Promise<Exit>((resolve) => {
    const done = (result: Exit): void => {
      for (const timer of timers) clearTimeout(timer);
      resolve(result);
    };
    // A descendant outside the group may hold the pipes open: the kill is what counts.
    const lastKill = (): void => {
      killProcess(child.pid, 'SIGKILL', group);
      timers.push(setTimeout(() => done({ code: null, signal: 'SIGKILL', timedOut: true }), 5000));
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        if (graceMs === undefined) lastKill();
        else {
          killProcess(child.pid, 'SIGTERM', group);
          timers.push(setTimeout(lastKill, graceMs));
        }
      }, boundMs),
    );
    child.on('error', (error) => done({ code: null, signal: null, timedOut, error }));
    child.on('close', (code, signal) => done({ code, signal, timedOut }));
  });
  return { child, exit };
}

export interface RunOptions extends Omit<SpawnOptions, 'stdio'> {
  /** Written to stdin, which is then closed. */
  readonly input?: Buffer | string;
  /** Killed (SIGKILL) after this; default 120 s. */
  readonly timeoutMs?: number;
  /** Bytes of stdout and of stderr kept (the rest dropped); default 64 MiB. */
  readonly maxBuffer?: number;
}

export interface RunResult {
  /** The exit status; null when killed by a signal (the bound, for one). */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: Buffer;
  /** As UTF-8 text (a spawn error's message at its end). */
  readonly stderr: string;
}

/** Runs `command` to its end (bounded): its exit status and output. */
export async function run(
  command: string,
  args: readonly string[],
  { input, timeoutMs = 120_000, maxBuffer = 64 * 1024 * 1024, ...options }: RunOptions = {},
): Promise<RunResult> {
  const { child, exit } = spawnBounded(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'], boundMs: timeoutMs });
  const keep = (into: Buffer[]) => {
    let size = 0;
    return (chunk: Buffer): void => {
      if (size >= maxBuffer) return;
      into.push(chunk.subarray(0, maxBuffer - size));
      size += chunk.length;
    };
  };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', keep(out));
  child.stderr?.on('data', keep(err));
  child.stdin?.on('error', () => {}); // it may exit without reading its stdin
  child.stdin?.end(input ?? '');
  const { code, signal, timedOut, error } = await exit;
  const stderr = Buffer.concat(err).toString('utf8');
  return { status: code, signal, timedOut, stdout: Buffer.concat(out), stderr: error ? `${stderr}${error.message}` : stderr };
}

/** Runs `command` to its end (10 s at most); an error with its stderr when it fails. */
export function runOrThrow(command: string, args: readonly string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr || r.error?.message || `status ${r.status}`}`);
}
