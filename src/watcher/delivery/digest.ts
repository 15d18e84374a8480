// DIGEST=1 (docs/behaviour.md §10): at most one Telegram message per round, holding every change of the
// round, instead of one message per change. With one bot for the whole mesh and Telegram's
// limit of about 20 messages a minute in a group, N watchers each sending one message per
// change is what makes alerts late in a large mesh; a digest costs one message per watcher
// per round whatever changed. composeDigest is pure (which lines, in which order, in which
// messages); DigestDelivery sends them through the Telegram outbox at the end of the round.
//
//   [<this node> lost <k> of <n> peers at once: its own network may be down]
//   FAIL: <url> [g/t] — ...      (every peer that is down now, in peer order)
//   OK  : <url> [g/t]            (then every peer that is up now, in peer order)
//
// Past 4096 UTF-16 code units (Telegram's limit on a message's text) the digest is split at
// line boundaries; a peer's state file is written once the message holding its line was
// accepted (D5), so a message that failed is sent again, with the same lines, next round.
import { cut, TELEGRAM_TEXT_LIMIT } from '../message.ts';
import { notificationOutcome, writesState, type TelegramOutbox } from '../telegram/outbox.ts';
import { wasUp, WholeRoundDelivery, type Handled, type NotificationOutcome, type RoundPeer } from './delivery.ts';

export interface DigestChange {
  readonly up: boolean;
  /** Today's per-peer line (../message.ts formatMessage). */
  readonly line: string;
  /** Whether the peer was up before this round (its remembered state said `up`). */
  readonly wasUp: boolean;
}

/** The first line when this node lost most of its peers in one round, else undefined. */
export function networkDownLine(node: string, changes: readonly DigestChange[], peerCount: number): string | undefined {
  const lost = changes.filter((c) => !c.up && c.wasUp).length;
  if (peerCount < 3 || lost * 2 <= peerCount) return undefined;
  return `${node} lost ${lost} of ${peerCount} peers at once: its own network may be down`;
}

/** One message of a digest: its text and the indexes (into `changes`) of the peers it holds. */
export interface DigestMessage {
  readonly text: string;
  readonly peers: readonly number[];
}

/**
 * The round's digest, split into messages of at most `limit` code units. FAIL lines first,
 * then OK lines, each in the order of `changes` (the peers' order). A line longer than the
 * limit on its own is cut (never inside a surrogate pair); the peer then belongs to the last
 * message holding a piece of it, so its state waits for all of them.
 */
export function composeDigest(changes: readonly DigestChange[], first: string | undefined, limit = TELEGRAM_TEXT_LIMIT): DigestMessage[] {
  const order = [...changes.keys()].sort((a, b) => Number(changes[a]?.up) - Number(changes[b]?.up) || a - b);
  const lines: Array<{ text: string; peer?: number }> = [];
  if (first !== undefined) lines.push(...cut(first, limit).map((text) => ({ text })));
  for (const i of order) {
    const pieces = cut((changes[i] as DigestChange).line, limit);
    pieces.forEach((text, k) => lines.push(k === pieces.length - 1 ? { text, peer: i } : { text }));
  }
  const messages: DigestMessage[] = [];
  let text = '';
  let peers: number[] = [];
  for (const line of lines) {
    if (text !== '' && text.length + 1 + line.text.length > limit) {
      messages.push({ text, peers });
      text = '';
      peers = [];
    }
    text = text === '' ? line.text : `${text}\n${line.text}`;
    if (line.peer !== undefined) peers.push(line.peer);
  }
  if (text !== '' || peers.length > 0) messages.push({ text, peers });
  return messages;
}

export class DigestDelivery extends WholeRoundDelivery {
  /**
   * @param node this node's name in the "lost k of n" line (first word of SELF, else the
   *   first detected address)
   * @param outbox the Telegram outbox (../telegram/outbox.ts): refusals, 429 and postponing
   *   are handled there, as for single messages; it starts a round with every round
   */
  constructor(
    private readonly node: string,
    private readonly outbox: Pick<TelegramOutbox, 'startRound' | 'deliver'>,
  ) {
    super();
  }

  override startRound(): void {
    this.outbox.startRound();
    super.startRound();
  }

  protected async *deliver(peers: readonly RoundPeer[]): AsyncIterable<Handled> {
    const changed = peers.filter((p) => p.changed);
    if (changed.length === 0) return;
    const changes: DigestChange[] = changed.map((p) => ({ up: p.up, line: p.message, wasUp: wasUp(p.last) }));
    const written: RoundPeer[] = [];
    const notifications: NotificationOutcome[] = [];
    const first = networkDownLine(this.node, changes, peers.length);
    for (const message of composeDigest(changes, first)) {
      const outcome = await this.outbox.deliver(message.text);
      notifications.push(notificationOutcome(outcome));
      if (writesState(outcome)) written.push(...message.peers.map((k) => changed[k] as RoundPeer));
    }
    // The states once every message was tried, as one step.
    yield { written, notifications };
  }
}
