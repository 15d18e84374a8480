// WEBHOOK_URLS (docs/behaviour.md §10): each announced change POSTed to one webhook URL as soon as
// the round has printed its peer's lines, in the peers' order (webhook-api.ts says what is
// posted and what an answer means). One WebhookDelivery per URL; for-config.ts puts them side
// by side (with Telegram or Alertmanager when those are set too, channel-memory.ts), so a
// change is kept until every URL took it and none gets it twice.
//
// The outcomes are the Telegram outbox's (D5): delivered and refused write the state (refused
// logged with the reason: no retry can cure it), a failure keeps it for the next round, and
// after a failure the round's other changes for this URL are postponed (one TIMEOUT a round at
// most for a hook that is down, as the outbox does for Telegram). The log lines are the
// outbox's, after the webhook's name:
//   <name>: notify message: <text>                                   (notice)
//   <name>: notify failed (<reason>), retried next round: <text>     (error)
//   <name>: notify rejected (<reason>), not retried: <text>          (error)
//   <name>: notify postponed: <text>                                 (warn)
import { log, white, type Stderr } from '../../log.ts';
import type { Delivery, Handled, RoundPeer, Steps } from './delivery.ts';
import { postWebhook, webhookPayload, type PostWebhookOptions, type WebhookPayload, type WebhookResult } from './webhook-api.ts';

export interface WebhookDeliveryOptions {
  readonly url: string;
  /** How its log lines name it (webhook-api.ts webhookName). */
  readonly name: string;
  /** This node (the `reporter` field). */
  readonly reporter: string;
  readonly postOptions: PostWebhookOptions;
  /** The request; default webhook-api.ts postWebhook (tests inject one). */
  readonly post?: (url: string, payload: WebhookPayload, options: PostWebhookOptions) => Promise<WebhookResult>;
  /** The program's stderr (the notify lines). */
  readonly stderr: Stderr;
}

export class WebhookDelivery implements Delivery {
  /** A post failed this round: the round's other changes wait for the next one. */
  private failedThisRound = false;

  constructor(private readonly options: WebhookDeliveryOptions) {}

  startRound(): void {
    this.failedThisRound = false;
  }

  async *peer(peer: RoundPeer): AsyncIterable<Handled> {
    if (peer.changed) yield await this.send(peer);
  }

  endRound(): Steps {
    return [];
  }

  private async send(peer: RoundPeer): Promise<Handled> {
    const { name, stderr } = this.options;
    const text = peer.message;
    if (this.failedThisRound) {
      log(stderr, 'warn', `${name}: notify postponed: ${white(text)}`);
      return { written: [], notifications: ['postponed'] };
    }
    const post = this.options.post ?? postWebhook;
    const result = await post(this.options.url, webhookPayload(peer, this.options.reporter), this.options.postOptions);
    switch (result.kind) {
      case 'delivered':
        log(stderr, 'notice', `${name}: notify message: ${white(text)}`);
        return { written: [peer], notifications: ['delivered'] };
      case 'refused':
        log(stderr, 'error', `${name}: notify rejected (${white(result.reason)}), not retried: ${text}`);
        return { written: [peer], notifications: ['rejected'] };
      case 'failed':
        this.failedThisRound = true;
        log(stderr, 'error', `${name}: notify failed (${white(result.reason)}), retried next round: ${text}`);
        return { written: [], notifications: ['retried'] };
    }
  }
}
