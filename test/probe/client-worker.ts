// The probe tests' TCP client, in its own process. The test runner loads every test file
// into one process, and a test elsewhere that imports nock patches node's sockets for all of
// them; raw malformed HTTP through that patch is parsed (and crashes) in the test process.
// Here, in a plain node process, sockets are sockets.
//
// Protocol: one JSON command per stdin line, one JSON answer per stdout line, same `id`.
//   {id, op:'canConnect', port}                         -> {id, ok}
//   {id, op:'exchange', port, parts:[b64], options}      -> {id, bytes:b64, outcome}
//   {id, op:'batch', port, requests:[{parts, options}], concurrency, boundMs}
//                                                        -> {id, results:[{bytes, outcome}], sent}
//   {id, op:'openIdle', port, count}                     -> {id, opened}
//   {id, op:'idleStatus'}                                -> {id, closed, received}
//   {id, op:'closeIdle'}                                 -> {id}
import { createConnection, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { canConnect } from '../../scripts/lib/net.ts';
import { sleep } from '../../scripts/lib/process.ts';

export interface ExchangeOptions {
  readonly halfClose?: boolean;
  readonly gapMs?: number;
  readonly boundMs?: number;
}

export interface ExchangeResult {
  readonly bytes: Buffer;
  readonly outcome: 'closed' | 'reset' | 'timeout';
}

/** Sends parts (gapMs apart), optionally half-closes, reads until close or boundMs. */
export function exchange(port: number, parts: readonly Buffer[], options: ExchangeOptions = {}): Promise<ExchangeResult> {
  const { halfClose = true, gapMs = 0, boundMs = 8000 } = options;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket: Socket = createConnection({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.setNoDelay(true);
    let finished = false;
    const finish = (outcome: ExchangeResult['outcome']): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), outcome });
    };
    const timer = setTimeout(() => finish('timeout'), boundMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish('closed'));
    socket.on('error', () => finish('reset'));
    socket.on('close', () => finish('closed'));
    socket.once('connect', async () => {
      for (const part of parts) {
        if (finished) return;
        socket.write(part);
        if (gapMs > 0) await sleep(gapMs);
      }
      if (halfClose && !finished) socket.end();
    });
  });
}

const idle: Socket[] = [];
let idleClosed = 0;
let idleReceived = 0;

function openIdle(port: number, count: number): Promise<number> {
  return new Promise((resolve) => {
    let connected = 0;
    const timer = setTimeout(() => resolve(connected), 10000);
    for (let i = 0; i < count; i++) {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => (idleReceived += chunk.length));
      socket.on('close', () => (idleClosed += 1));
      socket.once('connect', () => {
        connected += 1;
        if (connected === count) {
          clearTimeout(timer);
          resolve(connected);
        }
      });
      idle.push(socket);
    }
  });
}

type Command = {
  id: number;
  op: string;
  port: number;
  parts?: string[];
  options?: ExchangeOptions;
  requests?: { parts: string[]; options?: ExchangeOptions }[];
  concurrency?: number;
  boundMs?: number;
  count?: number;
};

const encode = (result: ExchangeResult) => ({ bytes: result.bytes.toString('base64'), outcome: result.outcome });
const decode = (parts: readonly string[]) => parts.map((part) => Buffer.from(part, 'base64'));

async function handle(command: Command): Promise<Record<string, unknown>> {
  switch (command.op) {
    case 'canConnect':
      return { ok: await canConnect('127.0.0.1', command.port) };
    case 'exchange':
      return encode(await exchange(command.port, decode(command.parts ?? []), command.options));
    case 'batch': {
      const requests = command.requests ?? [];
      const results: ReturnType<typeof encode>[] = new Array(requests.length);
      const started = Date.now();
      const bound = command.boundMs ?? 90000;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < requests.length && Date.now() - started < bound) {
          const index = next++;
          const request = requests[index] as { parts: string[]; options?: ExchangeOptions };
          results[index] = encode(await exchange(command.port, decode(request.parts), request.options));
        }
      };
      await Promise.all(Array.from({ length: command.concurrency ?? 32 }, worker));
      return { results: results.filter(Boolean), sent: next };
    }
    case 'openIdle':
      return { opened: await openIdle(command.port, command.count ?? 0) };
    case 'idleStatus':
      return { closed: idleClosed, received: idleReceived };
    case 'closeIdle':
      for (const socket of idle) socket.destroy();
      idle.length = 0;
      return {};
    default:
      return { error: `unknown op ${command.op}` };
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as Command;
  handle(command).then(
    (answer) => process.stdout.write(`${JSON.stringify({ id: command.id, ...answer })}\n`),
    (error: unknown) => process.stdout.write(`${JSON.stringify({ id: command.id, error: String(error) })}\n`),
  );
});
lines.on('close', () => process.exit(0));
