// Delivery of alert texts to Telegram (D5): one message after another, in the order
// given, each with its outcome; the caller writes a peer's state only when writesState() says
// so. Every Telegram delivery (one message per change, the digest) sends through deliver().
//
//   delivered  200 "ok":true; or a 200 status line whose body the timeout (or a reset) cut:
//              the originals' lines for a failed curl, but the message was sent (no copy)
//   failed     network error, timeout, 5xx, 429, ...: kept; the rest of the round waits, and
//              after a 429 nothing is sent before parameters.retry_after has passed
//   blocked    401, 403, 404, a 400 about the chat: kept; one request a round until it is fixed;
//              an error line the first time, then at most one every 10 minutes per cause
//   rejected   a refusal no retry can cure (a 400 about the text, 413, ...; a TG_TOKEN curl
//              cannot put in a URL): error line naming Telegram's description, state written
//   postponed  not sent (see above); kept
// A 400 with parameters.migrate_to_chat_id is followed at once: the same text goes to the new
// id, which is used from then on and remembered (chat-migration.ts).
import { log, white, type Stderr } from '../../log.ts';
import type { NotificationOutcome } from '../delivery/delivery.ts';
import { replyText, classify, sendMessage, type Send, type TelegramReply, type Transport } from './bot-api.ts';
import { migrationWarning, type ChatIdMemory } from './chat-migration.ts';

/** How one text ended: a notification's outcome, with `retried` told apart as failed or blocked. */
export type TelegramOutcome = Exclude<NotificationOutcome, 'retried'> | 'failed' | 'blocked';

/** Whether the state file is written after this outcome (D5). */
export function writesState(outcome: TelegramOutcome): boolean {
  return outcome === 'delivered' || outcome === 'rejected';
}

/** The notification outcome (METRICS_FILE) of one text: a text kept for a later round is `retried`. */
export function notificationOutcome(outcome: TelegramOutcome): NotificationOutcome {
  return outcome === 'failed' || outcome === 'blocked' ? 'retried' : outcome;
}

export interface OutboxOptions {
  readonly token: string;
  /** TG_API_URL: the Bot API's base URL (bot-api.ts sendMessage). */
  readonly apiUrl?: string;
  /** The chat to send to: TG_CHAT_ID, or the id it migrated to. */
  readonly chatId: string;
  /** TG_CHAT_ID as configured (named in the migration warning). */
  readonly configuredChatId?: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
  /** The request; default sendMessage (tests inject one). */
  readonly send?: Send;
  /** The HTTP transport sendMessage uses; default src/http/client.ts's send (tests inject one). */
  readonly transport?: Transport;
  readonly memory?: ChatIdMemory;
  /** The program's stderr: the originals' curl and log lines. */
  readonly stderr: Stderr;
}

/** How often the same bot/chat problem is logged again while it lasts. */
export const BLOCKED_LOG_EVERY_MS = 10 * 60 * 1000;
/** Migrations followed for one text (a supergroup does not migrate again; this bounds a loop). */
const MAX_MIGRATIONS = 3;

export class TelegramOutbox {
  private chatId: string;
  /** No request before this time (ms since epoch): Telegram's retry_after. */
  private notBefore = 0;
  /** A request failed this round: the round's remaining texts wait for the next one. */
  private failedThisRound = false;
  /** Some text of this round was not delivered. */
  private undeliveredThisRound = false;
  /** The bot/chat problem in force, and when it was last logged. */
  private blocked: { cause: string; loggedAt: number } | undefined;
  private readonly send: Send;
  private readonly stderr: Stderr;

  constructor(private readonly options: OutboxOptions) {
    this.chatId = options.chatId;
    this.stderr = options.stderr;
    this.send = options.send ?? ((chatId, text) => sendMessage(options, chatId, text));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Starts a round. Returns whether Telegram is throttling us (a text of the last round was
   * not delivered, a retry_after is running, or the bot/chat is blocked): then the caller
   * sends FAILs first, oldest change first (D34); otherwise in the peers' order, as the
   * originals do.
   */
  startRound(): boolean {
    const throttled = this.undeliveredThisRound || this.now() < this.notBefore || this.blocked !== undefined;
    this.undeliveredThisRound = false;
    this.failedThisRound = false;
    return throttled;
  }

  async deliver(text: string): Promise<TelegramOutcome> {
    const outcome = await this.attempt(text);
    if (!writesState(outcome)) this.undeliveredThisRound = true;
    return outcome;
  }

  private async attempt(text: string): Promise<TelegramOutcome> {
    if (this.failedThisRound || this.now() < this.notBefore) {
      // While the bot or chat is blocked the one error line says it all: no line per text.
      if (this.blocked === undefined) log(this.stderr, 'warn', `notify postponed: ${white(text)}`);
      return 'postponed';
    }
    for (let migrations = 0; ; migrations++) {
      const result = await this.send(this.chatId, text);
      if (result.kind === 'unsendable') {
        // The originals' lines; the state is written, since no retry can succeed.
        this.stderr(`${result.curlLine}\n`);
        log(this.stderr, 'error', `notify failed: ${text}`);
        return this.notice(text, 'rejected');
      }
      if (result.kind === 'cut') {
        // The originals' lines (their curl -m failed too), and, as theirs, no resend.
        this.stderr(`${result.curlLine}\n`);
        log(this.stderr, 'error', `notify failed: ${text}`);
        return this.delivered(text);
      }
      if (result.kind === 'network') {
        // The originals' lines for a network failure, unchanged.
        this.stderr(`${result.curlLine}\n`);
        log(this.stderr, 'error', `notify failed: ${text}`);
        this.failedThisRound = true;
        return this.notice(text, 'failed');
      }
      const { reply } = result;
      const verdict = classify(reply);
      if (verdict === 'migrated' && migrations < MAX_MIGRATIONS) {
        this.migrate(reply.migrateToChatId as string);
        continue;
      }
      return this.judge(text, reply, verdict);
    }
  }

  private judge(text: string, reply: TelegramReply, verdict: ReturnType<typeof classify>): TelegramOutcome {
    const what = replyText(reply);
    switch (verdict) {
      case 'delivered':
        return this.delivered(text);
      case 'blocked':
      case 'migrated': {
        // (migrated: a loop of migrations, bounded; treated as a chat problem)
        this.failedThisRound = true;
        const now = this.now();
        const quiet = this.blocked !== undefined && this.blocked.cause === what && now - this.blocked.loggedAt < BLOCKED_LOG_EVERY_MS;
        this.blocked = { cause: what, loggedAt: quiet && this.blocked ? this.blocked.loggedAt : now };
        if (quiet) return 'blocked';
        log(
          this.stderr,
          'error',
          `notify refused by Telegram (${white(what)}): nothing can be sent until the bot or chat is fixed; alerts are kept and sent once it is: ${text}`,
        );
        return this.notice(text, 'blocked');
      }
      case 'rejected':
        log(this.stderr, 'error', `notify rejected by Telegram (${white(what)}), not retried: ${text}`);
        return this.notice(text, 'rejected');
      case 'retry': {
        const retryAfterSec = reply.status === 429 ? reply.retryAfterSec : undefined;
        const wait = retryAfterSec !== undefined ? `, nothing sent for ${retryAfterSec}s` : '';
        log(this.stderr, 'error', `notify failed: Telegram answered ${white(what)}${wait}: ${text}`);
        if (retryAfterSec !== undefined) this.notBefore = this.now() + retryAfterSec * 1000;
        this.failedThisRound = true;
        return this.notice(text, 'failed');
      }
    }
  }

  private delivered(text: string): TelegramOutcome {
    if (this.blocked !== undefined) log(this.stderr, 'warn', `Telegram accepts messages again (was ${white(this.blocked.cause)})`);
    this.blocked = undefined;
    return this.notice(text, 'delivered');
  }

  private migrate(to: string): void {
    const from = this.chatId;
    log(this.stderr, 'warn', migrationWarning(this.options.configuredChatId ?? from, to));
    this.chatId = to;
    try {
      this.options.memory?.remember(this.options.configuredChatId ?? from, to);
    } catch (err) {
      log(this.stderr, 'error', `cannot remember the new chat id: ${(err as Error).message}`);
    }
  }

  /** The originals' notice after every request: `notify message: <text>`. */
  private notice(text: string, outcome: TelegramOutcome): TelegramOutcome {
    log(this.stderr, 'notice', `notify message: ${white(text)}`);
    return outcome;
  }
}
