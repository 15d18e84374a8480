// Starting and talking to a probe under test: loopback only, every wait bounded, every
// process stopped by its PID. All client traffic goes through client-worker.ts, a separate
// plain node process (see there why).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { freePort } from '../../scripts/lib/net.ts';
import { killProcess, sleep, stopProcess } from '../../scripts/lib/process.ts';
import * as assert from 'uvu/assert';
import type { ExchangeOptions } from './client-worker.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export interface Exchange {
  /** Everything the probe sent before closing. */
  readonly bytes: Buffer;
  /** 'closed': the connection ended; 'reset': it errored; 'timeout': our bound hit first. */
  readonly outcome: 'closed' | 'reset' | 'timeout';
}

// Children still running when this process exits (a crash elsewhere in the same runner):
// stopped by PID on the way out, so no probe or client outlives the test process.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) killProcess(child.pid, 'SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

type Answer = Record<string, unknown> & { id: number };

/** The client process: exchanges, batches and idle connections, over a JSON-lines pipe. */
export class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
    child.on('exit', () => {
      for (const resolve of this.waiting.values()) resolve({ id: 0, error: 'client worker exited' });
      this.waiting.clear();
    });
  }

  static start(): Client {
    const child = track(
      spawn(process.execPath, ['--import', 'tsx', path.join(here, 'client-worker.ts')], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    return new Client(child);
  }

  call(command: Record<string, unknown>, boundMs = 120000): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ id, error: 'client worker did not answer in time' });
      }, boundMs);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  async exchange(port: number, parts: readonly (Buffer | string)[], options: ExchangeOptions = {}): Promise<Exchange> {
    const answer = await this.call({ op: 'exchange', port, parts: parts.map(toBase64), options });
    return fromAnswer(answer);
  }

  async batch(
    port: number,
    requests: readonly { parts: readonly (Buffer | string)[]; options?: ExchangeOptions }[],
    concurrency: number,
    boundMs: number,
  ): Promise<{ results: Exchange[]; sent: number }> {
    const answer = await this.call(
      { op: 'batch', port, concurrency, boundMs, requests: requests.map((r) => ({ parts: r.parts.map(toBase64), options: r.options })) },
      boundMs + 30000,
    );
    const results = ((answer.results as { bytes: string; outcome: Exchange['outcome'] }[] | undefined) ?? []).map((r) =>
      fromAnswer({ id: 0, ...r }),
    );
    return { results, sent: Number(answer.sent ?? 0) };
  }

  async canConnect(port: number): Promise<boolean> {
    return (await this.call({ op: 'canConnect', port }, 10000)).ok === true;
  }

  stop(): void {
    if (this.child.exitCode === null) killProcess(this.child.pid, 'SIGTERM');
  }
}

function toBase64(part: Buffer | string): string {
  return (typeof part === 'string' ? Buffer.from(part, 'latin1') : part).toString('base64');
}

function fromAnswer(answer: Answer): Exchange {
  if (typeof answer.error === 'string') throw new Error(answer.error);
  return { bytes: Buffer.from(String(answer.bytes ?? ''), 'base64'), outcome: answer.outcome as Exchange['outcome'] };
}

export interface RunningProbe {
  readonly port: number;
  readonly child: ChildProcess;
  readonly client: Client;
  exchange(parts: readonly (Buffer | string)[], options?: ExchangeOptions): Promise<Exchange>;
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

/** The source under test (tsx), so `npm test` checks src/ without a build. */
function probeCommand(): string[] {
  if (process.env.PORT_BIN_DIR && existsSync(path.join(process.env.PORT_BIN_DIR, 'probe'))) {
    return [path.join(process.env.PORT_BIN_DIR, 'probe')];
  }
  return ['--import', 'tsx', path.join(root, 'src/bin/probe.ts')];
}

/** Starts a probe on a free loopback port and waits (bounded) until it accepts connections. */
export async function startProbe(env: Record<string, string> = {}, client = Client.start()): Promise<RunningProbe> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, probeCommand(), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', VOLUMES: '/', ...env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async (): Promise<void> => {
    client.stop();
    await stopProcess(child, { graceMs: 3000 });
  };
  const deadline = Date.now() + 30000;
  let up = false;
  while (!up && !exited && Date.now() < deadline) {
    up = await client.canConnect(port);
    if (!up) await sleep(50);
  }
  if (!up) {
    await stop();
    throw new Error(`probe did not start listening on ${port}: ${stderr}`);
  }
  return {
    port,
    child,
    client,
    exchange: (parts, options) => client.exchange(port, parts, options),
    stderr: () => stderr,
    alive: () => !exited && child.exitCode === null,
    stop,
  };
}

/** A probe whose AUTH_FILE, in a fresh temp dir, holds `content`; its stop() removes the dir too. */
export async function startProbeWithAuthFile(content: string): Promise<{ probe: RunningProbe; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'probe-auth-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'auth');
  try {
    await writeFile(file, content);
    const probe = await startProbe({ AUTH_FILE: file });
    const stopProbe = probe.stop.bind(probe);
    probe.stop = async () => {
      await stopProbe();
      await removeDir();
    };
    return { probe, file };
  } catch (error) {
    await removeDir();
    throw error;
  }
}

/** A well-formed response: status line, headers, and a body as long as Content-Length says. */
export function isWellFormedResponse(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || split < 0) return false;
  const length = /\r\nContent-Length: (\d+)\r\n/.exec(text.slice(0, split + 2));
  return length !== null && Number(length[1]) === bytes.length - split - 4;
}

export const NORMAL_REQUEST = 'GET /status HTTP/1.1\r\nHost: probe\r\n\r\n';
export const NORMAL_ANSWER =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 42\r\nConnection: close\r\n\r\n' +
  '{"checks":[],"summary":{"total":0,"ok":0}}';

/** After a flood or a fuzz: the probe still answers a normal request exactly, still runs, and wrote nothing on stderr. */
export async function assertStillAnswers(probe: RunningProbe): Promise<void> {
  const result = await probe.exchange([NORMAL_REQUEST]);
  assert.is(result.bytes.toString('latin1'), NORMAL_ANSWER);
  assert.ok(probe.alive());
  assert.is(probe.stderr(), '');
}
