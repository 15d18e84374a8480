// `probe`: the TCP server (docs/behaviour.md §5) without socat. IPv4 on all addresses, one request
// per connection, `Connection: close`, a connection idle for 5 s closed without an answer,
// each request served by the same exchange core as `router`. No limit on connections (as
// socat's fork had none); each one holds at most one bounded request head.
import { createServer, type Server, type Socket } from 'node:net';
import { AuthFileCache } from './auth.ts';
import type { ProbeConfig } from './env.ts';
import { answer, authErrorLine, type ExchangeIo } from './exchange.ts';
import { RequestHeadParser, type ParseResult } from './http/request.ts';
import { checkBudgetMs, StatusChecker } from './status.ts';
import { diskReport, type DiskReport } from './disk.ts';
import { errnoText } from './errno.ts';
import { processStderr } from './log.ts';

/** socat's -T5: a connection without traffic for this long is closed. */
export const IDLE_MS = 5000;
/** After the answer, how long a client that does not close may keep the socket. */
export const LINGER_MS = 5000;
/**
 * While the answer is computed (bounded by the check cap, D11) the idle limit is lifted; this
 * longer one only ends a connection whose answer hangs (a stuck statfs on a dead NFS mount).
 */
export const ANSWER_LIMIT_MS = 15000;

/** The exchange I/O of a long-running probe: coalesced checks and disk reports, cached auth. */
export function probeIo(config: ProbeConfig, stderr: (bytes: Buffer) => void): ExchangeIo {
  const checker = new StatusChecker(checkBudgetMs(config.timeoutMs));
  const authCache = new AuthFileCache(config.authFile);
  let lastAuthError: string | null = null;
  // Concurrent requests share one disk report in flight (same figures, one set of syscalls).
  let diskInFlight: Promise<DiskReport> | null = null;
  return {
    urls: config.urls,
    certDays: config.certDays,
    statusPage: config.statusPage,
    auth: async () => {
      const state = await authCache.current();
      if (state.kind !== 'closed') lastAuthError = null;
      return state;
    },
    checks: (urls) => checker.checkAll(urls),
    disk: () => {
      if (!diskInFlight) {
        diskInFlight = diskReport(config.volumes).finally(() => {
          diskInFlight = null;
        });
      }
      return diskInFlight;
    },
    stderr,
    // [D8, D41] Said once when the file becomes unreadable or holds no token (again after it
    // held tokens in between, or when the reason changes), not once per refused request.
    authUnavailable: (message) => {
      if (message === lastAuthError) return;
      lastAuthError = message;
      stderr(authErrorLine(message));
    },
  };
}

function serveConnection(socket: Socket, io: ExchangeIo): void {
  const parser = new RequestHeadParser();
  let handled = false;
  socket.setNoDelay(true);
  socket.setTimeout(IDLE_MS);
  socket.on('timeout', () => socket.destroy());
  socket.on('error', () => socket.destroy());

  const handle = (parsed: ParseResult): void => {
    handled = true;
    // The answer is bounded [D11]: the idle limit is lifted while it is computed.
    socket.setTimeout(ANSWER_LIMIT_MS);
    answer(parsed, io).then(
      (response) => {
        if (socket.destroyed) return;
        socket.setTimeout(LINGER_MS);
        if (response) socket.end(response);
        else socket.end();
      },
      () => socket.destroy(),
    );
  };

  socket.on('data', (chunk: Buffer) => {
    // After the head, the rest (a body, more garbage) is read and dropped: never parsed, and
    // not left unread, which would turn the close into a reset that can eat the answer.
    if (handled) return;
    const parsed = parser.push(chunk);
    if (parsed) handle(parsed);
  });
  socket.on('end', () => {
    if (!handled) handle(parser.end());
  });
}

export function createProbeServer(config: ProbeConfig, stderr: (bytes: Buffer) => void): Server {
  const io = probeIo(config, stderr);
  // allowHalfOpen: a client may shut its sending side after the request and still read the
  // answer (socat's -t5 allowed the same).
  return createServer({ allowHalfOpen: true, noDelay: true }, (socket) => serveConnection(socket, io));
}

/** Listens on PORT (IPv4, all addresses); rejects with the listen error (EADDRINUSE...). */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ port, host, backlog: 1024 }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** [D16] The port's own line for a listen failure (socat's carried a timestamp and pid). */
export function listenErrorLine(program: string, port: number, error: NodeJS.ErrnoException): string {
  const reason = errnoText(error) ?? error.message;
  return `${program}: cannot listen on 0.0.0.0:${port}: ${reason}\n`;
}

/** Serving until a signal ends the probe, or the start-up failure (the entry point exits with it). */
export type ProbeStart = { readonly kind: 'serving' } | { readonly kind: 'exit'; readonly status: number; readonly stderr: string };

/** Runs the probe until SIGTERM/SIGINT/SIGHUP. */
export async function runProbe(config: ProbeConfig, program: string): Promise<ProbeStart> {
  const server = createProbeServer(config, processStderr);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  try {
    await listen(server, config.port);
  } catch (error) {
    return { kind: 'exit', status: 1, stderr: listenErrorLine(program, config.port, error as NodeJS.ErrnoException) };
  }
  // Accept errors (EMFILE under a flood...) must not end the probe; libuv keeps accepting.
  server.on('error', (error: NodeJS.ErrnoException) => {
    processStderr(`${program}: accept: ${error.code ?? error.message}\n`);
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      server.close();
      for (const socket of sockets) socket.destroy();
      // End by the same signal, as the originals did (socat killed by it): the exit status a
      // supervisor sees stays 128+N.
      process.kill(process.pid, signal);
    });
  }
  return { kind: 'serving' };
}
