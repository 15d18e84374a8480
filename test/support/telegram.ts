// A fake api.telegram.org: an HTTPS server that records every request and answers each one
// from a script. Used by the golden sandbox, the watcher's fault tests, the mixed-cluster test
// and the demo. Reach it by mapping api.telegram.org to its address (a hosts file) and trusting
// the test CA (see tls.ts).
//
//   const tg = await startFakeTelegram({ key, cert, answers: [{ kind: 'retry', after: 2 }] });
//   ... tg.requests[0].body ...; await tg.close();
//
// The i-th request gets answers[i]; requests after the script get `then` (default: ok).
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export type TelegramAnswer =
  /** 200 {"ok":true,"result":{}} */
  | { readonly kind: 'ok' }
  /** 429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}} */
  | { readonly kind: 'retry'; readonly after: number }
  /** <status> {"ok":false,"error_code":<status>,"description":<description>} (400, 401, 403, 404, 500, ...) */
  | { readonly kind: 'error'; readonly status: number; readonly description: string }
  /** Any status and body, verbatim. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly contentType?: string }
  /** Close the connection without an answer (after the request was read). */
  | { readonly kind: 'close' }
  /** Reset the connection (TCP RST) without an answer. */
  | { readonly kind: 'destroy' }
  /** Never answer (the client's own timeout ends it). */
  | { readonly kind: 'hang' };

export interface TelegramRequest {
  readonly method: string;
  /** Path with query, e.g. /bot123:abc/sendMessage */
  readonly path: string;
  /** The Content-Type header as sent ('' when absent). */
  readonly contentType: string;
  /** The body as UTF-8 text (form bodies are ASCII). */
  readonly body: string;
  /** ms since the server started: for retry_after tests, never for golden comparisons. */
  readonly atMs: number;
  /** The answer it got. */
  readonly answer: TelegramAnswer['kind'];
}

export interface FakeTelegramOptions {
  readonly host?: string;
  readonly port?: number;
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly answers?: readonly TelegramAnswer[];
  readonly then?: TelegramAnswer;
  /** Called for each request after it is recorded (the demo prints messages with it). */
  readonly onRequest?: (request: TelegramRequest) => void;
}

export interface RunningFakeTelegram {
  readonly requests: TelegramRequest[];
  readonly port: number;
  /** Replace the remaining script (applies from the next request on). */
  setAnswers(answers: readonly TelegramAnswer[], then?: TelegramAnswer): void;
  close(): Promise<void>;
}

/** The JSON bodies the real Bot API answers with (as far as a client looks at them). */
export function telegramBody(answer: TelegramAnswer): { status: number; body: string; contentType: string } | null {
  switch (answer.kind) {
    case 'ok':
      return { status: 200, body: '{"ok":true,"result":{}}', contentType: 'application/json' };
    case 'retry':
      return {
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${answer.after}`,
          parameters: { retry_after: answer.after },
        }),
      };
    case 'error':
      return {
        status: answer.status,
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error_code: answer.status, description: answer.description }),
      };
    case 'raw':
      return { status: answer.status, body: answer.body, contentType: answer.contentType ?? 'application/json' };
    default:
      return null;
  }
}

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<RunningFakeTelegram> {
  const started = Date.now();
  const requests: TelegramRequest[] = [];
  let script = [...(options.answers ?? [])];
  let then: TelegramAnswer = options.then ?? { kind: 'ok' };
  const sockets = new Set<Socket>();

  const server = https.createServer({ key: options.key, cert: options.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const answer = script.shift() ?? then;
      const record: TelegramRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: String(req.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
        atMs: Date.now() - started,
        answer: answer.kind,
      };
      requests.push(record);
      options.onRequest?.(record);
      const reply = telegramBody(answer);
      if (reply) {
        res.writeHead(reply.status, {
          'Content-Type': reply.contentType,
          'Content-Length': Buffer.byteLength(reply.body),
          Connection: 'close',
        });
        res.end(reply.body);
      } else if (answer.kind === 'close') {
        req.socket.end();
      } else if (answer.kind === 'destroy') {
        // A TLS socket has no TCP handle of its own to reset: destroy it (abrupt close).
        if (req.socket instanceof TLSSocket) req.socket.destroy();
        else req.socket.resetAndDestroy();
      } // hang: nothing; close() destroys it
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  server.on('clientError', (_e, s) => s.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 443, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 443);

  return {
    requests,
    port,
    setAnswers(answers, next) {
      script = [...answers];
      if (next) then = next;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
