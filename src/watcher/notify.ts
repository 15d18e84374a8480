// Telegram notifications (contract §6 "Notify") with D5: the caller writes the state only
// when this says so, so an alert Telegram did not accept is sent again next round.
//   200 with "ok":true ........................ delivered, write the state
//   network error / timeout / 5xx / 429 / other  failed, keep the old state (retry next round);
//                                               after a 429 nothing is sent before
//                                               parameters.retry_after has passed
//   400 / 401 / 403 / 404 (any 4xx but 408, 429)  rejected for good: error log, write the state
//   a TG_TOKEN curl refuses in a URL (space) ..... curl (3) and the originals' lines, write the state
// Once a request failed, the rest of the round's alerts are postponed (not sent), so a dead
// Telegram costs one TIMEOUT per round, not one per alert.
import { readUrl } from '../curl.ts';
import { send, type Reply, type SendOptions } from '../http/client.ts';
import { telegramBody } from './message.ts';
import { log, white } from '../log.ts';

export const TELEGRAM_API = 'https://api.telegram.org';

export type NotifyOutcome =
  { readonly kind: 'delivered' } | { readonly kind: 'failed' } | { readonly kind: 'rejected' } | { readonly kind: 'postponed' };

/** Whether the state file is written after this outcome (D5). */
export function writesState(outcome: NotifyOutcome): boolean {
  return outcome.kind === 'delivered' || outcome.kind === 'rejected';
}

export interface TelegramAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly description?: string;
  readonly retryAfterSec?: number;
}

/** Reads Telegram's JSON answer; a body that is not JSON just has no ok/description. */
export function parseTelegramAnswer(status: number, body: Buffer): TelegramAnswer {
  let ok = false;
  let description: string | undefined;
  let retryAfterSec: number | undefined;
  try {
    const json = JSON.parse(body.toString('utf8')) as unknown;
    if (json !== null && typeof json === 'object') {
      const o = json as { ok?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
      ok = o.ok === true;
      if (typeof o.description === 'string') description = o.description;
      const ra = o.parameters?.retry_after;
      if (typeof ra === 'number' && Number.isFinite(ra) && ra > 0) retryAfterSec = ra;
    }
  } catch {
    // not JSON
  }
  return { status, ok, ...(description !== undefined ? { description } : {}), ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) };
}

export type Verdict = 'delivered' | 'retry' | 'rejected';

export function classify(answer: TelegramAnswer): Verdict {
  if (answer.status === 200 && answer.ok) return 'delivered';
  if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) return 'rejected';
  return 'retry';
}

export interface NotifierOptions {
  readonly token: string;
  readonly chatId: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
  /** The HTTP client (injected by tests; default: src/http/client.ts's send). */
  readonly send?: (options: SendOptions) => Promise<Reply>;
}

export class Notifier {
  /** No request before this time (ms since epoch): Telegram's retry_after. */
  private notBefore = 0;
  /** A request failed this round: the round's remaining alerts wait for the next one. */
  private failedThisRound = false;

  constructor(private readonly options: NotifierOptions) {}

  startRound(): void {
    this.failedThisRound = false;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async notify(message: string): Promise<NotifyOutcome> {
    if (this.failedThisRound || this.now() < this.notBefore) {
      log('warn', `notify postponed: ${white(message)}`);
      return { kind: 'postponed' };
    }
    const url = `${TELEGRAM_API}/bot${this.options.token}/sendMessage`;
    const read = readUrl(url);
    if ('refused' in read) {
      const refused = read.refused;
      // A TG_TOKEN curl cannot put in a URL (a space, a control character): the originals'
      // lines, and the state is written, since no retry can succeed (as for a 4xx).
      process.stderr.write(`${refused}\n`);
      log('error', `notify failed: ${message}`);
      log('notice', `notify message: ${white(message)}`);
      return { kind: 'rejected' };
    }
    const body = Buffer.from(telegramBody(this.options.chatId, message), 'utf8');
    const result = await (this.options.send ?? send)({
      url,
      method: 'POST',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body,
      timeoutMs: this.options.timeoutMs,
      maxBodyBytes: 64 * 1024,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    let outcome: NotifyOutcome;
    if (result.error !== undefined) {
      // The originals' lines for a network failure, unchanged.
      process.stderr.write(`${result.error}\n`);
      log('error', `notify failed: ${message}`);
      this.failedThisRound = true;
      outcome = { kind: 'failed' };
    } else {
      const answer = parseTelegramAnswer(result.status, result.body);
      const verdict = classify(answer);
      const what = `HTTP ${answer.status}${answer.description !== undefined ? `: ${answer.description}` : ''}`;
      if (verdict === 'delivered') {
        outcome = { kind: 'delivered' };
      } else if (verdict === 'rejected') {
        log('error', `notify rejected by Telegram (${white(what)}), not retried: ${message}`);
        outcome = { kind: 'rejected' };
      } else {
        const retryAfterSec = answer.status === 429 ? answer.retryAfterSec : undefined;
        const wait = retryAfterSec !== undefined ? `, nothing sent for ${retryAfterSec}s` : '';
        log('error', `notify failed: Telegram answered ${white(what)}${wait}: ${message}`);
        if (retryAfterSec !== undefined) this.notBefore = this.now() + retryAfterSec * 1000;
        this.failedThisRound = true;
        outcome = { kind: 'failed' };
      }
    }
    log('notice', `notify message: ${white(message)}`);
    return outcome;
  }
}
