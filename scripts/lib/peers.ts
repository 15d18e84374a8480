// Fake peer probes: plain TCP servers on 127.0.0.x:PORT (or any address a test owns) that
// answer a watcher's GET with canned bytes, the way a legacy or ported probe would, or
// misbehave (never answer, reset, close). Used by the golden sandbox, the watcher fault
// tests, and the benchmarks.
//
//   const peer = await startFakePeer({ host: '127.0.0.2', port: 5988,
//     answers: [{ kind: 'json', body: statusSummaryBody([]) }] });
//   ... peer.requests ...; await peer.close();
//
// The i-th connection gets answers[i]; later ones get `then` (default: the last answer).
import net from 'node:net';

export type ScriptedPeerReply =
  /** 200 with the router's exact header layout and Content-Type application/json. */
  | { readonly kind: 'json'; readonly body: string; readonly status?: number }
  /** The router's exact 401 answer. */
  | { readonly kind: 'unauthorized' }
  /** Any status line, content type and body, in the router's header layout. */
  | { readonly kind: 'http'; readonly status: string; readonly contentType?: string; readonly body: string }
  /**
   * These bytes verbatim, then close. `repeat` sends them that many times (big answers);
   * `latin1` takes each char as one byte (NUL, 0xff, invalid UTF-8), else UTF-8.
   */
  | { readonly kind: 'raw'; readonly bytes: string; readonly repeat?: number; readonly latin1?: boolean }
  /** Accept and never answer (until close()). */
  | { readonly kind: 'hang' }
  /** Reset the connection once the request head has arrived. */
  | { readonly kind: 'reset' }
  /** Close without answering once the request head has arrived. */
  | { readonly kind: 'close' }
  /**
   * Like `close`, and also `afterMs` after the connection came when no request head has: a
   * probe's idle limit (socat -T5) ending a connection whose client waits for the server to
   * speak first (curl's FTP).
   */
  | { readonly kind: 'idle-close'; readonly afterMs: number };

export interface PeerRequest {
  /** The request line, e.g. `GET / HTTP/1.1`. */
  readonly requestLine: string;
  readonly method: string;
  readonly path: string;
  /** Header lines as sent (name and value, CR removed), in order. */
  readonly headers: readonly string[];
  /** Header lines whose name is `authorization` in any case, verbatim. */
  readonly authorization: readonly string[];
}

export interface FakePeerOptions {
  readonly host: string;
  readonly port: number;
  readonly answers: readonly ScriptedPeerReply[];
  readonly then?: ScriptedPeerReply;
}

export interface RunningFakePeer {
  readonly host: string;
  readonly port: number;
  readonly requests: PeerRequest[];
  setAnswers(answers: readonly ScriptedPeerReply[], then?: ScriptedPeerReply): void;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' };

/** The bytes the router writes for one response (docs/behaviour.md §4.6). */
export function routerResponse(status: string, contentType: string, body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const head = `HTTP/1.1 ${status}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

export const UNAUTHORIZED_RESPONSE =
  'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 24\r\n' +
  'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\nConnection: close\r\n\r\n' +
  '{"error":"unauthorized"}';

export interface CheckLine {
  readonly url: string;
  /** Written as given: '000' reproduces the legacy router's invalid JSON (D1). */
  readonly code: string;
  readonly time?: string;
  readonly ok: boolean;
}

/** A legacy router's `GET /status` body (docs/behaviour.md §4.7) for the given checks. */
export function statusBody(checks: readonly CheckLine[]): string {
  const items = checks.map(
    (c) => `{"url":"${c.url}","code":${c.code},"time_s":${c.time ?? (c.code === '000' ? '0' : '0.001000')},"ok":${c.ok}}`,
  );
  const ok = checks.filter((c) => c.ok).length;
  return `{"checks":[${items.join(',')}],"summary":{"total":${checks.length},"ok":${ok}}}`;
}

/** A legacy router's `GET /` body (docs/behaviour.md §4.7-9) for the given checks and volumes JSON. */
export function statusSummaryBody(checks: readonly CheckLine[], diskBody = '{"volumes":[]}'): string {
  return `{"status":${statusBody(checks)},"disk":${diskBody}}`;
}

export function replyBytes(answer: ScriptedPeerReply): Buffer | null {
  switch (answer.kind) {
    case 'json': {
      const status = answer.status ?? 200;
      return routerResponse(`${status} ${REASONS[status] ?? 'OK'}`, 'application/json', answer.body);
    }
    case 'unauthorized':
      return Buffer.from(UNAUTHORIZED_RESPONSE, 'latin1');
    case 'http':
      return routerResponse(answer.status, answer.contentType ?? 'text/plain', answer.body);
    case 'raw':
      return Buffer.from(answer.bytes.repeat(answer.repeat ?? 1), answer.latin1 ? 'latin1' : 'utf8');
    default:
      return null;
  }
}

export function parseRequestHead(head: string): PeerRequest {
  const lines = head.split('\n').map((l) => l.replace(/\r$/, ''));
  const requestLine = lines[0] ?? '';
  const [method = '', path = ''] = requestLine.split(' ');
  const headers = lines.slice(1).filter((l) => l !== '');
  return {
    requestLine,
    method,
    path,
    headers,
    authorization: headers.filter((h) => /^authorization:/i.test(h)),
  };
}

export async function startFakePeer(options: FakePeerOptions): Promise<RunningFakePeer> {
  const requests: PeerRequest[] = [];
  let script = [...options.answers];
  let then: ScriptedPeerReply | undefined = options.then ?? options.answers[options.answers.length - 1];
  const sockets = new Set<net.Socket>();

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const answer = script.shift() ?? then ?? { kind: 'close' };
    let buffered = Buffer.alloc(0);
    let answered = false;
    const respond = () => {
      if (answered) return;
      answered = true;
      const text = buffered.toString('latin1');
      const end = text.search(/\r?\n\r?\n/);
      requests.push(parseRequestHead(end >= 0 ? text.slice(0, end) : text));
      if (answer.kind === 'hang') return;
      if (answer.kind === 'reset') return void socket.resetAndDestroy();
      if (answer.kind === 'close' || answer.kind === 'idle-close') return void socket.end();
      socket.end(replyBytes(answer) ?? Buffer.alloc(0));
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (/\r?\n\r?\n/.test(buffered.toString('latin1'))) respond();
      else if (buffered.length > 65536) respond();
    });
    socket.on('end', respond);
    if (answer.kind === 'idle-close') {
      const idle = setTimeout(respond, answer.afterMs);
      socket.on('close', () => clearTimeout(idle));
    }
  });
  server.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host, exclusive: true }, () => resolve());
  });

  return {
    host: options.host,
    port: options.port,
    requests,
    setAnswers(answers, next) {
      script = [...answers];
      then = next ?? answers[answers.length - 1] ?? then;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
