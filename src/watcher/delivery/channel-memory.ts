// Several channels side by side (Telegram, Alertmanager, each WEBHOOK_URLS URL; docs/behaviour.md
// §10) without duplicates. The round writes a peer's state once EVERY channel has taken its
// change (delivery.ts Deliveries, D5): a change one channel could not deliver is kept for the
// next round for all of them. Left at that, the channels that did deliver it would get the same
// text again next round, and, when the peer returned to its written state before the last
// channel took the change, they would never hear it back (the state file already says so).
//
// So each channel remembers, per peer, the state it last announced while that differs from the
// state file, and reads a round's peer as if that were the peer's last state: a change it has
// already announced is not sent again (the channel just agrees it may be written), and a peer
// back to its written state is announced to the channels that announced it gone. A channel
// sees exactly what it would see alone with a state file of its own.
//
// The memory is the process's: after a restart a channel may get once more a change it took
// before the restart but whose state was not written (every other channel had not taken it).
// Not used with SPAM=1, which announces every peer every round to every channel anyway.
import { Deliveries, type Counter, type Delivery, type Handled, type RoundPeer, type Steps } from './delivery.ts';

/** `channels` side by side, each with its memory (see above); with SPAM=1, a plain Deliveries. */
export function sideBySide(channels: readonly Delivery[], spam: boolean): Delivery {
  return new Deliveries(spam ? channels : channels.map((channel) => new ChannelMemory(channel)));
}

/** One channel and what it announced that the state files do not say yet. */
export class ChannelMemory implements Delivery {
  /** Per peer URL: the state this channel last announced, kept while the state file says another. */
  private readonly announced = new Map<string, string>();
  /** This round: the peer the channel was handed (its view) -> the round's peer. */
  private readonly rounds = new Map<RoundPeer, RoundPeer>();
  /** The round's peers this channel has said written (each at most once a round). */
  private readonly said = new Set<RoundPeer>();

  constructor(private readonly channel: Delivery) {}

  startRound(): void {
    this.rounds.clear();
    this.said.clear();
    this.channel.startRound();
  }

  peer(peer: RoundPeer): Steps {
    let own = this.announced.get(peer.url);
    if (own === peer.last) {
      this.announced.delete(peer.url); // the state file caught up
      own = undefined;
    }
    const view = own === undefined ? peer : { ...peer, last: own, changed: peer.state !== own };
    this.rounds.set(view, peer);
    return this.steps(view.changed || !peer.changed ? [] : [peer], this.channel.peer(view));
  }

  endRound(): Steps {
    return this.steps([], this.channel.endRound());
  }

  counters(): readonly Counter[] {
    return this.channel.counters?.() ?? [];
  }

  /** `known` (already announced by this channel: written now, nothing sent), then the channel's own steps. */
  private async *steps(known: readonly RoundPeer[], steps: Steps): AsyncIterable<Handled> {
    if (known.length > 0) yield { written: this.say(known), notifications: [] };
    for await (const handled of steps) {
      const written = this.say(handled.written.map((view) => this.rounds.get(view) ?? view));
      for (const peer of written) this.announced.set(peer.url, peer.state);
      yield { written, notifications: handled.notifications };
    }
  }

  private say(peers: readonly RoundPeer[]): RoundPeer[] {
    const fresh: RoundPeer[] = [];
    for (const peer of peers) {
      if (this.said.has(peer)) continue;
      this.said.add(peer);
      fresh.push(peer);
    }
    return fresh;
  }
}
