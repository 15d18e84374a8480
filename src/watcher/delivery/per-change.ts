// The originals' delivery (docs/behaviour.md §6.5-7): one Telegram message per peer whose state
// changed (or every peer with SPAM=1), sent as soon as the round has printed that peer's lines,
// so stderr reads as the originals': each peer's lines, then its notify lines.
// D34: while Telegram throttles (or refuses), the round's alerts are held until every peer's
// lines are printed, then sent FAIL first and, among each, oldest undelivered change first.
import type { TelegramOutbox } from '../telegram/outbox.ts';
import { notificationOutcome, writesState } from '../telegram/outbox.ts';
import type { Delivery, Handled, RoundPeer, Steps } from './delivery.ts';

/** A peer whose change is to be sent (its latest state: nothing stale is queued). */
interface Alert {
  readonly peer: RoundPeer;
  readonly up: boolean;
  /** When this peer's undelivered change was first seen (ms): oldest first when throttled. */
  readonly since: number;
}

/**
 * D34: the order texts go out in while Telegram throttles: FAILs before OKs, and among each
 * the oldest undelivered change first; ties keep the given (peers') order.
 */
export function throttledOrder<T extends { readonly up: boolean; readonly since: number }>(alerts: readonly T[]): T[] {
  return [...alerts].sort((a, b) => Number(a.up) - Number(b.up) || a.since - b.since);
}

export class PerChangeDelivery implements Delivery {
  /** Peers (by URL) with a change not yet delivered, and since when (D34); rebuilt every
   *  round, so a peer that left DNS is forgotten. */
  private pendingSince = new Map<string, number>();
  private pendingBefore = new Map<string, number>();
  /** Telegram throttles this round: alerts are held for endRound (D34). */
  private throttled = false;
  private held: Alert[] = [];

  constructor(private readonly outbox: TelegramOutbox) {}

  startRound(): void {
    this.throttled = this.outbox.startRound();
    this.pendingBefore = this.pendingSince;
    this.pendingSince = new Map();
    this.held = [];
  }

  async *peer(peer: RoundPeer): AsyncIterable<Handled> {
    if (!peer.changed) return;
    const since = this.pendingBefore.get(peer.url) ?? Date.now();
    this.pendingSince.set(peer.url, since);
    const alert = { peer, up: peer.up, since };
    if (this.throttled) this.held.push(alert);
    else yield await this.send(alert);
  }

  endRound(): Steps {
    return this.sendAll(throttledOrder(this.held));
  }

  private async *sendAll(alerts: readonly Alert[]): AsyncIterable<Handled> {
    for (const alert of alerts) yield await this.send(alert);
  }

  private async send(alert: Alert): Promise<Handled> {
    const outcome = await this.outbox.deliver(alert.peer.message);
    const notifications = [notificationOutcome(outcome)];
    if (!writesState(outcome)) return { written: [], notifications };
    this.pendingSince.delete(alert.peer.url);
    return { written: [alert.peer], notifications };
  }
}
