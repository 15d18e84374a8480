// The seam between a round and the ways its changes leave the watcher (docs/behaviour.md §6.3-7,
// §10). The round (../watcher.ts) polls every peer, then, in the peers' order, prints a peer's
// lines and hands that peer to one Delivery at once; the Delivery may send right away (the
// originals: each peer's lines, then its notify lines) or hold the peer for endRound (a digest,
// Alertmanager, D34's throttled order). Each step it takes says which peers' states to write
// (D5: only what was delivered, or refused for good) and the notifications' outcomes for
// METRICS_FILE; the round writes those states as soon as the step is done, so a kill in the
// middle of a round keeps every state already delivered.
//
// To add a delivery: a class implementing Delivery in this folder (over a client of its own
// service, as telegram/ is Telegram's), built in for-config.ts from the variables that ask for
// it. Beside another one: a Deliveries list (below). A policy that decides whether a change is
// announced at all: a Delivery that wraps another one and passes on only the peers it lets
// through.
//   PerChangeDelivery ..... the originals: one Telegram message per change (per-change.ts)
//   DigestDelivery ........ DIGEST=1: one Telegram message per round (digest.ts)
//   AlertmanagerDelivery .. ALERTMANAGER_URLS: alerts to Alertmanager (alertmanager.ts)
//   WebhookDelivery ....... WEBHOOK_URLS: one JSON POST per change and URL (webhook.ts)
//   Deliveries ............ several deliveries side by side (below; sideBySide in
//                           channel-memory.ts gives each channel a memory, so none gets a duplicate)

/** How a notification ended; `retried` is a failure the next round sends again (D5). */
export type NotificationOutcome = 'delivered' | 'retried' | 'postponed' | 'rejected';

/** A peer of the round, as polled and evaluated. */
export interface RoundPeer {
  readonly url: string;
  readonly up: boolean;
  /** Today's line: `FAIL: <url> [g/t] — ...` or `OK  : <url> [g/t]`. */
  readonly message: string;
  /** The state string of this round and the one remembered before it ('' for none). */
  readonly state: string;
  readonly last: string;
  /** Whether it is to be notified (state changed, or SPAM=1). */
  readonly changed: boolean;
  /** When the remembered state was written (ms), for a state that survived a restart. */
  readonly lastWrittenMs: () => number | undefined;
}

/** What one step of a delivery did. */
export interface Handled {
  /** The peers (the very objects handed over) whose current state is to be written now. */
  readonly written: readonly RoundPeer[];
  readonly notifications: readonly NotificationOutcome[];
}

/** A delivery's steps for one call, in the order they happened (none: nothing sent). */
export type Steps = Iterable<Handled> | AsyncIterable<Handled>;

export interface Delivery {
  /** Before the round's first peer. */
  startRound(): void;
  /** A peer of the round, in the peers' order, right after its lines were printed. */
  peer(peer: RoundPeer): Steps;
  /** After the round's last peer: what was held back. */
  endRound(): Steps;
}

/** What a whole round did: indexes (into the round's peers) whose state was written, and every outcome. */
export interface RoundResult {
  readonly written: readonly number[];
  readonly notifications: readonly NotificationOutcome[];
}

/**
 * One round through `delivery`: every peer of `peers` in order (taken one at a time, so the
 * round can print a peer's lines as it is taken), then endRound. `onStep` sees every step as
 * soon as it is done (the round writes the states there).
 */
export async function deliverRound(
  delivery: Delivery,
  peers: Iterable<RoundPeer>,
  onStep: (handled: Handled) => void = () => undefined,
): Promise<RoundResult> {
  const index = new Map<RoundPeer, number>();
  const written: number[] = [];
  const notifications: NotificationOutcome[] = [];
  const take = async (steps: Steps): Promise<void> => {
    for await (const handled of steps) {
      onStep(handled);
      for (const peer of handled.written) written.push(index.get(peer) as number);
      notifications.push(...handled.notifications);
    }
  };
  delivery.startRound();
  for (const peer of peers) {
    index.set(peer, index.size);
    await take(delivery.peer(peer));
  }
  await take(delivery.endRound());
  return { written, notifications };
}

/**
 * Several deliveries side by side (a second channel beside Telegram), each given every peer,
 * one after the other in the list's order, so their lines do not mix.
 *
 * `written`: a peer's state is written once EVERY delivery of the list has said so in this
 * round (each says a peer at most once a round), at the step of the last one. A change one
 * channel could not deliver is then kept for the next round (D5) for all of them; alone, those
 * that delivered it would announce it again then, which is why for-config.ts builds channels
 * side by side through channel-memory.ts (each remembers what it announced). The
 * notifications are every delivery's, in the order they happened.
 */
export class Deliveries implements Delivery {
  /** How many of the deliveries said each peer written this round. */
  private readonly said = new Map<RoundPeer, number>();

  constructor(private readonly deliveries: readonly Delivery[]) {}

  startRound(): void {
    this.said.clear();
    for (const delivery of this.deliveries) delivery.startRound();
  }

  peer(peer: RoundPeer): Steps {
    return this.each((delivery) => delivery.peer(peer));
  }

  endRound(): Steps {
    return this.each((delivery) => delivery.endRound());
  }

  private async *each(call: (delivery: Delivery) => Steps): AsyncIterable<Handled> {
    for (const delivery of this.deliveries) {
      for await (const handled of call(delivery)) {
        const written = handled.written.filter((peer) => {
          const count = (this.said.get(peer) ?? 0) + 1;
          this.said.set(peer, count);
          return count === this.deliveries.length;
        });
        yield { written, notifications: handled.notifications };
      }
    }
  }
}

/** A delivery that holds every peer until the end of the round, then handles them all at once. */
export abstract class WholeRoundDelivery implements Delivery {
  private peers: RoundPeer[] = [];

  startRound(): void {
    this.peers = [];
  }

  peer(peer: RoundPeer): Steps {
    this.peers.push(peer);
    return [];
  }

  endRound(): Steps {
    return this.deliver(this.peers);
  }

  /** The round's peers, in order. */
  protected abstract deliver(peers: readonly RoundPeer[]): Steps;
}

/** Whether the remembered state was up, or down (a peer's state before the round). */
export const wasUp = (last: string): boolean => last.startsWith('up:');
export const wasDown = (last: string): boolean => last.startsWith('down:');
