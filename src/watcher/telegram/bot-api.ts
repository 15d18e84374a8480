// One Telegram Bot API sendMessage request and what its reply means (docs/behaviour.md §6 "Notify",
// D5). What to do about the reply (retry, wait, follow a migration, log) is outbox.ts's.
import { encode } from '../../bytes.ts';
import { curlErrorLine } from '../../compat/curl-errors.ts';
import { readTarget } from '../../compat/curl-url.ts';
import { TELEGRAM_API } from '../../env.ts';
import { post, type Reply, type SendOptions } from '../../http/client.ts';

/** Form value encoding: A-Z a-z 0-9 - . _ ~ kept, space as `+`, other bytes `%XX` (uppercase). */
export function formEncode(text: string): string {
  let out = '';
  for (const byte of encode(text)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9._~-]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The sendMessage body: chat_id exactly as configured, text form-encoded. */
export function telegramBody(chatId: string, text: string): string {
  return `chat_id=${chatId}&text=${formEncode(text)}`;
}

export interface TelegramReply {
  readonly status: number;
  readonly ok: boolean;
  readonly description?: string;
  readonly retryAfterSec?: number;
  /** parameters.migrate_to_chat_id: the group became this supergroup. */
  readonly migrateToChatId?: string;
}

/** Reads Telegram's JSON reply; a body that is not JSON just has no ok/description. */
export function parseTelegramReply(status: number, body: Buffer): TelegramReply {
  let ok = false;
  let description: string | undefined;
  let retryAfterSec: number | undefined;
  let migrateToChatId: string | undefined;
  try {
    const json = JSON.parse(body.toString('utf8')) as unknown;
    if (json !== null && typeof json === 'object') {
      const o = json as { ok?: unknown; description?: unknown; parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown } };
      ok = o.ok === true;
      if (typeof o.description === 'string') description = o.description;
      const ra = o.parameters?.retry_after;
      if (typeof ra === 'number' && Number.isFinite(ra) && ra > 0) retryAfterSec = ra;
      const to = o.parameters?.migrate_to_chat_id;
      if (typeof to === 'number' && Number.isSafeInteger(to)) migrateToChatId = String(to);
    }
  } catch {
    // not JSON
  }
  return {
    status,
    ok,
    ...(description !== undefined ? { description } : {}),
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    ...(migrateToChatId !== undefined ? { migrateToChatId } : {}),
  };
}

/**
 * - delivered: 200 with "ok":true.
 * - retry: Telegram or the way to it is unwell (5xx, 408, 429, 200 without ok, 3xx): later.
 * - migrated: the group became a supergroup (400 with migrate_to_chat_id): send there now.
 * - blocked: the bot or the chat needs an operator (401 token revoked, 403 kicked/blocked,
 *   404 token malformed, any 400 not about the text, e.g. `chat not found`): nothing can be
 *   delivered until it is fixed, so keep everything and try again each round.
 * - rejected: this text can never be delivered (a 400 about the text, 413, other 4xx):
 *   retrying it cannot help, so the state is written without delivery.
 */
export type Verdict = 'delivered' | 'retry' | 'migrated' | 'blocked' | 'rejected';

/** 400 descriptions about the message itself, not the bot or the chat (no retry can cure them). */
const TEXT_REFUSED = /message is too long|text is too long|message text is empty|text must be non-empty|can't parse entities/i;

export function classify(reply: TelegramReply): Verdict {
  const { status } = reply;
  if (status === 200 && reply.ok) return 'delivered';
  if (status === 400 && reply.migrateToChatId !== undefined) return 'migrated';
  if (status === 400) return TEXT_REFUSED.test(reply.description ?? '') ? 'rejected' : 'blocked';
  if (status === 401 || status === 403 || status === 404) return 'blocked';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'rejected';
  return 'retry';
}

/** `HTTP <status>[: <description>]`, how log lines name an reply. */
export function replyText(reply: TelegramReply): string {
  return `HTTP ${reply.status}${reply.description !== undefined ? `: ${reply.description}` : ''}`;
}

export type SendResult =
  /** Telegram replied (any status). */
  | { readonly kind: 'reply'; readonly reply: TelegramReply }
  /** No reply: curl's line for the network error or timeout. */
  | { readonly kind: 'network'; readonly curlLine: string }
  /**
   * Telegram's status line said 200, then the transfer failed (its body slower than the
   * timeout, a reset): curl's line. The Bot API answers 200 once it has sent the message, so
   * the message is delivered (D5): sending it again would post a copy.
   */
  | { readonly kind: 'cut'; readonly curlLine: string }
  /** Not sent: a TG_TOKEN curl refuses in a URL (space, control character); curl's line. */
  | { readonly kind: 'unsendable'; readonly curlLine: string };

/**
 * How one HTTP request goes out and comes back; default src/http/client.ts's `send` (curl's
 * ways over raw sockets). The unit tests pass one over node:https, which nock can reply.
 */
export type Transport = (request: SendOptions) => Promise<Reply>;

/** What every sendMessage request of one bot shares. */
export interface BotApiOptions {
  readonly token: string;
  /** TG_API_URL (docs/behaviour.md §10): default the originals' https://api.telegram.org. */
  readonly apiUrl?: string;
  readonly timeoutMs: number;
  /** Default: src/http/client.ts's send. */
  readonly transport?: Transport;
}

export type Send = (chatId: string, text: string) => Promise<SendResult>;

/** POSTs sendMessage exactly as the originals' curl does (form body, chat id as configured). */
export async function sendMessage(options: BotApiOptions, chatId: string, text: string): Promise<SendResult> {
  const url = `${(options.apiUrl ?? TELEGRAM_API).replace(/\/+$/, '')}/bot${options.token}/sendMessage`;
  const reading = readTarget(url);
  if (reading.kind === 'refused') return { kind: 'unsendable', curlLine: curlErrorLine(reading.failure) };
  const body = encode(telegramBody(chatId, text));
  const limits = { timeoutMs: options.timeoutMs, maxBodyBytes: 64 * 1024 };
  const result = await post(url, 'application/x-www-form-urlencoded', body, limits, options.transport);
  if (result.kind === 'failed') return { kind: result.status === 200 ? 'cut' : 'network', curlLine: result.error };
  return { kind: 'reply', reply: parseTelegramReply(result.status, result.body) };
}
