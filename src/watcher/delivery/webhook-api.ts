// WEBHOOK_URLS (docs/behaviour.md §10): one announced change POSTed to one webhook URL, and what
// its answer means. The body is one JSON object:
//   {"text":"<the §6.6c line>","peer":"<peer url>","state":"<state string>","up":<bool>,"reporter":"<this node>"}
// `text` alone is what Slack, Mattermost and Rocket.Chat incoming webhooks read (they ignore the
// other fields); the others are for a receiver of one's own. What it means (D5, as for Telegram):
//   delivered  the status line said 2xx, even when the body after it was cut (slower than
//              TIMEOUT, a reset): the hook took the text, posting it again would post a copy
//   refused    4xx other than 408 and 429 (a bad payload, a hook deleted, a revoked token): no
//              retry can cure it, so the change counts as handled
//   failed     no answer, 3xx (curl does not follow), 408, 429, 5xx: sent again next round
// This file is the client (what is posted, and how); webhook.ts is the delivery.
import { post, type Reply, type SendOptions } from '../../http/client.ts';
import type { RoundPeer } from './delivery.ts';

export interface WebhookPayload {
  readonly text: string;
  readonly peer: string;
  readonly state: string;
  readonly up: boolean;
  readonly reporter: string;
}

export function webhookPayload(peer: Pick<RoundPeer, 'message' | 'url' | 'state' | 'up'>, reporter: string): WebhookPayload {
  return { text: peer.message, peer: peer.url, state: peer.state, up: peer.up, reporter };
}

/**
 * The request body: the payload as JSON in UTF-8. A byte that is not UTF-8 (kept in a string as
 * a lone surrogate, src/bytes.ts) becomes U+FFFD: a JSON receiver wants Unicode text, and the
 * escape `\udcXX` JSON.stringify would write is no character it can show.
 */
export function webhookBody(payload: WebhookPayload): Buffer {
  const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const json = JSON.stringify({
    ...payload,
    text: wellFormed(payload.text),
    peer: wellFormed(payload.peer),
    reporter: wellFormed(payload.reporter),
  });
  return Buffer.from(json, 'utf8');
}

export type WebhookResult =
  | { readonly kind: 'delivered' }
  /** `reason`: `HTTP <status>[ <start of the body>]`, or curl's error line. */
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** How a webhook's answer (or its absence) is read; pure. */
export function webhookResult(reply: Reply): WebhookResult {
  const { status } = reply;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 0 && reply.kind === 'failed') return { kind: 'failed', reason: reply.error };
  // The start of the body on one line: receivers say why there (Slack: `invalid_payload`).
  const detail = reply.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
  const reason = `HTTP ${status}${detail !== '' ? ` ${detail}` : ''}`;
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return { kind: permanent ? 'refused' : 'failed', reason };
}

export interface PostWebhookOptions {
  readonly timeoutMs: number;
  /** The HTTP transport; default src/http/client.ts's send (curl's ways). */
  readonly transport?: (request: SendOptions) => Promise<Reply>;
}

/** POSTs one payload to one webhook URL, within TIMEOUT. */
export async function postWebhook(url: string, payload: WebhookPayload, options: PostWebhookOptions): Promise<WebhookResult> {
  const limits = { timeoutMs: options.timeoutMs, maxBodyBytes: 4096 };
  const reply = await post(url, 'application/json', webhookBody(payload), limits, options.transport);
  return webhookResult(reply);
}

/**
 * How log lines name a webhook: its place in WEBHOOK_URLS and its origin, never its path or
 * query, which hold the hook's secret for Slack, Mattermost, Rocket.Chat and most others
 * (`webhook 2 (https://hooks.slack.com)`).
 */
export function webhookName(url: string, index: number): string {
  const origin = URL.canParse(url) ? new URL(url).origin : 'not a URL';
  return `webhook ${index + 1} (${origin})`;
}
