// A fake api.telegram.org: an HTTPS server that records every request and answers each one
// from a script. Used by the golden sandbox, the watcher's fault tests, the mixed-cluster test
// and the demo. Reach it by mapping api.telegram.org to its address (a hosts file) and trusting
// the test CA (see tls.ts). Without key and cert it serves plain HTTP, for a watcher whose
// TG_API_URL names it (`npm run fake-telegram`, scripts/fake-telegram.mjs).
//
//   const tg = await startFakeTelegram({ key, cert, answers: [{ kind: 'retry', after: 2 }] });
//   ... tg.requests[0].body ...; await tg.close();
//
// The i-th request gets answers[i]; requests after the script get `then` (default: ok, or api
// when an `api` world is given). `api` answers like the real Bot API (issue 10): a full Message
// on success; 404 `Not Found` / 401 `Unauthorized` for a malformed / unknown token; 400 `Bad
// Request: chat not found`, `... group chat was upgraded to a supergroup chat` (with
// parameters.migrate_to_chat_id), `... message is too long` (over 4096 UTF-16 code units after
// trimming); 403 `Forbidden: bot was kicked from the supergroup chat` / `bot was blocked by the
// user`; and 429 `Too Many Requests: retry after N` (parameters.retry_after) from flood control.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export type ScriptedReply =
  /** 200 {"ok":true,"result":<Message>}: the Message the real Bot API returns for the request */
  | { readonly kind: 'ok' }
  /** 429 {"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}} */
  | { readonly kind: 'retry'; readonly after: number }
  /** <status> {"ok":false,"error_code":<status>,"description":<description>[,"parameters":...]} (400, 401, 403, 404, 500, ...) */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly description: string;
      readonly parameters?: Readonly<Record<string, number>>;
    }
  /** Any status and body, verbatim. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly contentType?: string }
  /** Close the connection without an answer (after the request was read). */
  | { readonly kind: 'close' }
  /** Reset the connection (TCP RST) without an answer. */
  | { readonly kind: 'destroy' }
  /** Never answer (the client's own timeout ends it). */
  | { readonly kind: 'hang' }
  /** Answer as the Bot API would, from the fake's `api` world (token, chats, flood control). */
  | { readonly kind: 'api' }
  /**
   * The answer `ok` (or `api` when an `api` world is given) with a slow body: the status line
   * and headers at once, then the body one byte every `everyMs` (the first after `everyMs`). A
   * client whose timeout is shorter gives up after the 200 arrived: the message was sent.
   */
  | { readonly kind: 'trickle'; readonly everyMs: number };

/** The answer a request got, as recorded: the kind, or for `api` what the world decided. */
export type RecordedReply = Exclude<ScriptedReply['kind'], 'api'>;

export interface TelegramRequest {
  readonly method: string;
  /** Path with query, e.g. /bot123:abc/sendMessage */
  readonly path: string;
  /** The Content-Type header as sent ('' when absent). */
  readonly contentType: string;
  /** The body as UTF-8 text (form bodies are ASCII). */
  readonly body: string;
  /** The body's bytes (a chat id need not be UTF-8). */
  readonly bodyBytes: Buffer;
  /** ms since the server started: for retry_after tests, never for golden comparisons. */
  readonly atMs: number;
  /** The answer it got. */
  readonly answer: RecordedReply;
  /** The answer's HTTP status (0 when none was sent). */
  readonly status: number;
  /** The fields chat_id and text of a form or JSON body (requestFields), decoded ('' when absent). */
  readonly chatId: string;
  readonly text: string;
}

/** A chat the fake Bot API knows. */
export interface FakeChat {
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly title?: string;
  /** A group upgraded to a supergroup: sending to it gives 400 with parameters.migrate_to_chat_id. */
  readonly migratedTo?: number;
  /** The bot was removed from the group / blocked by the user: 403. */
  readonly botRemoved?: boolean;
}

/**
 * The world the `api` answer reads; the test may change it at any time (revoke the token,
 * kick the bot, upgrade the group, ...). Flood control is per chat: at most `perSecond`
 * messages in any second and `perMinute` in any 60 s; a request over either limit gets 429
 * with `retry_after` = whole seconds until a slot frees (the real API's limits for a group:
 * about 20 a minute and one a second).
 */
export interface FakeBotApi {
  token: string;
  chats: Map<string, FakeChat>;
  flood: { perSecond: number; perMinute: number } | false;
}

export const BOT_USER = { id: 123, is_bot: true, first_name: 'Sentinella', username: 'sentinella_bot' } as const;
export const TEXT_LIMIT = 4096;

export interface FakeTelegramOptions {
  readonly host?: string;
  readonly port?: number;
  /** The TLS key and certificate; both absent: plain HTTP. */
  readonly key?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly answers?: readonly ScriptedReply[];
  /** The answer after the script; default `api` when `api` is given, else `ok`. */
  readonly then?: ScriptedReply;
  /** The Bot API world (token "123:abc", chat "-100" a group, flood control 20/min 1/s by default). */
  readonly api?: Partial<FakeBotApi>;
  /** Called for each request after it is recorded (the demo prints messages with it). */
  readonly onRequest?: (request: TelegramRequest) => void;
}

export interface RunningFakeTelegram {
  readonly requests: TelegramRequest[];
  readonly port: number;
  /** The Bot API world the `api` answer reads (mutable). */
  readonly api: FakeBotApi;
  /** Replace the remaining script (applies from the next request on). */
  setAnswers(answers: readonly ScriptedReply[], then?: ScriptedReply): void;
  close(): Promise<void>;
}

export function defaultBotApi(api: Partial<FakeBotApi> = {}): FakeBotApi {
  return {
    token: api.token ?? '123:abc',
    chats: api.chats ?? new Map([['-100', { type: 'group', title: 'Sentinella alerts' }]]),
    flood: api.flood ?? { perSecond: 1, perMinute: 20 },
  };
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), contentType: 'application/json' };
}

function failure(status: number, description: string, parameters?: Readonly<Record<string, number>>): Reply {
  return json(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
}

/** The form fields of a sendMessage body (application/x-www-form-urlencoded). */
export function formFields(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const i = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    fields.set(decode(i < 0 ? pair : pair.slice(0, i)), decode(i < 0 ? '' : pair.slice(i + 1)));
  }
  return fields;
}

/**
 * The fields of a request body: a form (what curl and the port send) or, with a JSON
 * Content-Type, a JSON object (what Alertmanager's Telegram receiver sends; the Bot API takes
 * both). JSON values that are not strings (chat_id: -100) become their JSON text.
 */
export function requestFields(contentType: string, body: string): Map<string, string> {
  if (!/^application\/json\b/i.test(contentType.trim())) return formFields(body);
  const fields = new Map<string, string>();
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) fields.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
  } catch {
    /* not JSON: no fields, as the Bot API finds none */
  }
  return fields;
}

let nextMessageId = 1;

/** The Message the Bot API returns for an accepted sendMessage. */
function message(chatId: string, chat: FakeChat | undefined, text: string): Reply {
  const id = Number(chatId);
  const chatObject =
    chat?.type === 'private'
      ? { id, type: 'private', first_name: chat.title ?? 'Operator' }
      : {
          id: Number.isFinite(id) ? id : chatId,
          type: chat?.type ?? 'group',
          title: chat?.title ?? 'Sentinella alerts',
          ...(chat?.type === 'group' || !chat ? { all_members_are_administrators: true } : {}),
        };
  return json(200, {
    ok: true,
    result: { message_id: nextMessageId++, from: BOT_USER, chat: chatObject, date: Math.floor(Date.now() / 1000), text },
  });
}

/** The flood-control verdict for a chat: seconds to wait, or 0 (and the send is counted). */
function floodWait(api: FakeBotApi, sent: Map<string, number[]>, chatId: string, now: number): number {
  if (api.flood === false) return 0;
  const times = (sent.get(chatId) ?? []).filter((t) => now - t < 60_000);
  sent.set(chatId, times);
  let freeAt = 0;
  if (times.length >= api.flood.perMinute) freeAt = Math.max(freeAt, (times[times.length - api.flood.perMinute] as number) + 60_000);
  const lastSecond = times.filter((t) => now - t < 1000);
  if (lastSecond.length >= api.flood.perSecond)
    freeAt = Math.max(freeAt, (lastSecond[lastSecond.length - api.flood.perSecond] as number) + 1000);
  return freeAt > now ? Math.max(1, Math.ceil((freeAt - now) / 1000)) : 0;
}

/** What the real Bot API answers to this request, in the order it checks (token, method, chat, text, flood). */
export function botApiReply(
  api: FakeBotApi,
  sent: Map<string, number[]>,
  path: string,
  body: string,
  now = Date.now(),
  contentType = '',
): { reply: Reply; kind: RecordedReply } {
  const m = /^\/bot([^/]*)\/([^/?]*)/.exec(path);
  if (!m || !/^\d+:[A-Za-z0-9_-]+$/.test(m[1] as string)) return { reply: failure(404, 'Not Found'), kind: 'error' };
  if (m[1] !== api.token) return { reply: failure(401, 'Unauthorized'), kind: 'error' };
  if (m[2] !== 'sendMessage') return { reply: failure(404, 'Not Found'), kind: 'error' };
  const fields = requestFields(contentType, body);
  const chatId = fields.get('chat_id') ?? '';
  const text = (fields.get('text') ?? '').trim();
  if (chatId === '') return { reply: failure(400, 'Bad Request: chat_id is empty'), kind: 'error' };
  const chat = api.chats.get(chatId);
  if (!chat) return { reply: failure(400, 'Bad Request: chat not found'), kind: 'error' };
  if (chat.migratedTo !== undefined) {
    return {
      reply: failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: chat.migratedTo }),
      kind: 'error',
    };
  }
  if (chat.botRemoved) {
    const description =
      chat.type === 'private'
        ? 'Forbidden: bot was blocked by the user'
        : `Forbidden: bot was kicked from the ${chat.type === 'channel' ? 'channel' : chat.type} chat`;
    return { reply: failure(403, description), kind: 'error' };
  }
  if (text === '') return { reply: failure(400, 'Bad Request: message text is empty'), kind: 'error' };
  if (text.length > TEXT_LIMIT) return { reply: failure(400, 'Bad Request: message is too long'), kind: 'error' };
  const wait = floodWait(api, sent, chatId, now);
  if (wait > 0) return { reply: failure(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait }), kind: 'retry' };
  const times = sent.get(chatId);
  if (times !== undefined) times.push(now);
  else sent.set(chatId, [now]);
  return { reply: message(chatId, chat, text), kind: 'ok' };
}

/** The JSON bodies the real Bot API answers with, for a scripted answer. */
export function telegramBody(answer: ScriptedReply, requestBody = ''): Reply | null {
  switch (answer.kind) {
    case 'ok': {
      const fields = formFields(requestBody);
      return message(fields.get('chat_id') ?? '', undefined, fields.get('text') ?? '');
    }
    case 'retry':
      return failure(429, `Too Many Requests: retry after ${answer.after}`, { retry_after: answer.after });
    case 'error':
      return failure(answer.status, answer.description, answer.parameters);
    case 'raw':
      return { status: answer.status, body: answer.body, contentType: answer.contentType ?? 'application/json' };
    default:
      return null;
  }
}

/** Sends the head now, then the body one byte every everyMs; stops when the client is gone. */
function trickle(res: ServerResponse, body: Buffer, everyMs: number): void {
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= body.length) return;
    res.write(body.subarray(sent, sent + 1));
    sent += 1;
    if (sent === body.length) {
      clearInterval(timer);
      res.end();
    }
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<RunningFakeTelegram> {
  const started = Date.now();
  const requests: TelegramRequest[] = [];
  let script = [...(options.answers ?? [])];
  let then: ScriptedReply = options.then ?? (options.api ? { kind: 'api' } : { kind: 'ok' });
  const api = defaultBotApi(options.api);
  const sent = new Map<string, number[]>();
  const sockets = new Set<Socket>();
  const defaultPort = options.key !== undefined ? 443 : 80;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const answer = script.shift() ?? then;
      const bodyBytes = Buffer.concat(chunks);
      const body = bodyBytes.toString('utf8');
      let reply: Reply | null;
      let kind: RecordedReply;
      // A trickle answers as ok / api does; only the pace of its body differs.
      const content: ScriptedReply = answer.kind === 'trickle' ? (options.api ? { kind: 'api' } : { kind: 'ok' }) : answer;
      if (content.kind === 'api') {
        ({ reply, kind } = botApiReply(api, sent, req.url ?? '', body, Date.now(), String(req.headers['content-type'] ?? '')));
      } else {
        reply = telegramBody(content, body);
        kind = content.kind;
      }
      if (answer.kind === 'trickle') kind = 'trickle';
      const fields = requestFields(String(req.headers['content-type'] ?? ''), body);
      const record: TelegramRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: String(req.headers['content-type'] ?? ''),
        body,
        bodyBytes,
        atMs: Date.now() - started,
        answer: kind,
        status: reply?.status ?? 0,
        chatId: fields.get('chat_id') ?? '',
        text: fields.get('text') ?? '',
      };
      requests.push(record);
      options.onRequest?.(record);
      if (reply) {
        res.writeHead(reply.status, {
          'Content-Type': reply.contentType,
          'Content-Length': Buffer.byteLength(reply.body),
          Connection: 'close',
        });
        if (answer.kind === 'trickle') trickle(res, Buffer.from(reply.body, 'utf8'), answer.everyMs);
        else res.end(reply.body);
      } else if (answer.kind === 'close') {
        req.socket.end();
      } else if (answer.kind === 'destroy') {
        // A TLS socket has no TCP handle of its own to reset: destroy it (abrupt close).
        if (req.socket instanceof TLSSocket) req.socket.destroy();
        else req.socket.resetAndDestroy();
      } // hang: nothing; close() destroys it
    });
  };
  const server =
    options.key !== undefined && options.cert !== undefined
      ? https.createServer({ key: options.key, cert: options.cert }, handle)
      : http.createServer(handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  server.on('clientError', (_e, s) => s.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? defaultPort, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? defaultPort);

  return {
    requests,
    port,
    api,
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
