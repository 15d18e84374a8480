// QUORUM=<k>|majority (docs/behaviour.md §10.1): a policy around the configured delivery (one
// message per change, DIGEST, or Alertmanager). It holds the round's peers until the last one,
// lets ../quorum/quorum.ts decide (views fetched from the other watchers), then hands every peer
// to the wrapped delivery as the mesh has it:
//   - a change to announce now: as it is, its line followed by ` (<a> of <n> agree)`;
//   - a change another watcher announced: written at once (a step of its own), not sent;
//   - a change still pending: as it was before it (its state file), so no delivery sends or
//     posts anything about it;
//   - every other peer: as it is.
// The isolation line goes out through `say` (Telegram), once per episode.
import { cut, formatMessage, TELEGRAM_TEXT_LIMIT } from '../message.ts';
import { agreement, Quorum, upOf, type Decision, type QuorumPeer } from '../quorum/quorum.ts';
import type { Counter, Delivery, Handled, NotificationOutcome, RoundPeer, Steps } from './delivery.ts';

/** How the isolation line went: `done` when it is not to be said again this episode. */
export interface Said {
  readonly done: boolean;
  readonly notification?: NotificationOutcome;
}

export class QuorumDelivery implements Delivery {
  private held: RoundPeer[] = [];

  /**
   * @param inner the delivery the configuration asks for
   * @param quorum the decisions and the view (../quorum/quorum.ts)
   * @param say sends the isolation line (Telegram), or only logs it (Alertmanager)
   * @param requests the views fetched since start (METRICS_FILE)
   */
  constructor(
    private readonly inner: Delivery,
    private readonly quorum: Quorum,
    private readonly say: (text: string) => Promise<Said>,
    private readonly requests: () => number,
  ) {}

  startRound(): void {
    this.held = [];
    this.quorum.startRound();
    this.inner.startRound();
  }

  peer(peer: RoundPeer): Steps {
    this.held.push(peer);
    return [];
  }

  async *endRound(): AsyncIterable<Handled> {
    const peers = this.held;
    const decision = await this.quorum.decide(peers.map(quorumPeer));
    if (decision.isolation !== undefined) {
      const said = await this.say(decision.isolation);
      if (said.done) this.quorum.isolationSaid();
      yield { written: [], notifications: said.notification === undefined ? [] : [said.notification] };
    }
    const recorded = peers.filter((_, i) => decision.record.has(i));
    if (recorded.length > 0) yield this.written({ written: recorded, notifications: [] }, new Map());
    // The wrapped delivery sees every peer, as the mesh has it; what it writes is mapped back.
    const original = new Map<RoundPeer, RoundPeer>();
    for (const [i, peer] of peers.entries()) {
      const shown = presented(peer, i, decision);
      original.set(shown, peer);
      for await (const handled of this.inner.peer(shown)) yield this.written(handled, original);
    }
    for await (const handled of this.inner.endRound()) yield this.written(handled, original);
  }

  counters(): readonly Counter[] {
    return [
      ...(this.inner.counters?.() ?? []),
      {
        name: 'sentinella_quorum_view_requests_total',
        help: 'Views (GET /view) this watcher asked other watchers for since it started (QUORUM).',
        value: this.requests(),
      },
    ];
  }

  /** A step of the wrapped delivery, its peers mapped back to the round's; the view says what was written. */
  private written(handled: Handled, original: ReadonlyMap<RoundPeer, RoundPeer>): Handled {
    const written = handled.written.map((p) => original.get(p) ?? p);
    if (written.length > 0) this.quorum.written(written.map(quorumPeer));
    return { written, notifications: handled.notifications };
  }
}

function quorumPeer(peer: RoundPeer): QuorumPeer {
  return { url: peer.url, up: peer.up, state: peer.state, last: peer.last, answered: peer.answered, lastWrittenMs: peer.lastWrittenMs };
}

/** The peer as the wrapped delivery is to see it this round. */
function presented(peer: RoundPeer, index: number, decision: Decision): RoundPeer {
  const agreed = decision.announce.get(index);
  if (agreed !== undefined) return { ...peer, changed: true, message: withAgreement(peer.message, agreement(agreed.agree, agreed.of)) };
  if (decision.record.has(index) || peer.state === peer.last) return { ...peer, changed: false };
  // Pending, not announced: as it was. A peer seen for the first time (no state file) as up.
  const up = upOf(peer.last) ?? true;
  const message = up === peer.up || peer.last === '' ? peer.message : lineOf(peer.url, peer.last);
  return { ...peer, up, state: peer.last, message, changed: false };
}

/** The line followed by the agreement, the line cut (never the agreement) when both would pass Telegram's limit. */
function withAgreement(message: string, suffix: string): string {
  if (message.length + suffix.length <= TELEGRAM_TEXT_LIMIT) return `${message}${suffix}`;
  return `${cut(message, TELEGRAM_TEXT_LIMIT - suffix.length)[0] as string}${suffix}`;
}

/** The §6.6c line of a remembered state (`down:<g>/<t>:<code>`), without the failures it no longer knows. */
function lineOf(url: string, state: string): string {
  const body = state.slice(state.indexOf(':') + 1, state.lastIndexOf(':'));
  const slash = body.indexOf('/');
  const good = slash < 0 ? body : body.slice(0, slash);
  const total = slash < 0 ? body : body.slice(slash + 1);
  return formatMessage(url, { up: state.startsWith('up:'), good, total, failures: [], shellErrors: [] });
}
