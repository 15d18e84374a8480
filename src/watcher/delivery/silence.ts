// Silences (docs/behaviour.md §10 "Silences"), a policy over the configured channels: while a
// peer is silenced, a change of its state is not handed to a channel, so nothing is sent and
// its state file keeps the last state ANNOUNCED. When the silence ends (it expires, or `watcher
// unsilence`), the round compares the peer's state with that file as always: a state that
// differs is announced then, once, as it is at that moment (nothing lost, nothing stale); a
// peer back where it was announced sends nothing. A held peer still up (or still down) as
// announced is handed over as one with nothing to notify (a digest counts it, Alertmanager
// keeps its alert firing and resolves none).
//
// One SilencePolicy per watcher (../watcher.ts): `around` the whole delivery, it reads the
// silences at the start of each round and says when they start and end; `gate` goes in front of
// EACH channel (for-config.ts), inside channel-memory.ts's memory, so a channel sees the peer as
// that memory shows it (a change it announced before the silence, another channel not yet, is
// neither sent again nor let through).
//
// Lines, only when silences exist (with none, stderr is the originals'): `silence of <address>
// until <time>: <reason>` when one is first seen, `silenced until <time> (<reason>): <line>`
// once per state held, `silence of <address> ended` (or `lifted`) when it ends.
import { log, white, type Stderr } from '../../log.ts';
import {
  activeSilences,
  formatUntil,
  mergeSilences,
  SilencesFile,
  silencesPath,
  type Silence,
  type Silences,
  type ViewSilences,
} from '../silences.ts';
import { peerAddress } from '../message.ts';
import { wasUp, type Delivery, type Handled, type RoundPeer, type Steps } from './delivery.ts';

export interface SilenceSources {
  /** This node's silences (STATE_DIR/silences.json), read at the start of every round. */
  readonly own: () => Silences;
  /** Silences other nodes' views carry (QUORUM): none without it. */
  readonly others?: () => Silences;
}

export class SilencePolicy {
  /** The silences running in this round (and, until the next round starts, in the last one). */
  private active: Silences = new Map();
  private ownRunning: Silences = new Map();
  /** Per peer URL, the state held last (its line was said; a new state says a new one). */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly sources: SilenceSources,
    private readonly stderr: Stderr,
    private readonly now: () => number = Date.now,
  ) {}

  /** This node's own silences running this round: what its view carries under QUORUM (never others'). */
  get ownActive(): Silences {
    return this.ownRunning;
  }

  /** The round's delivery: `inner` (its channels each behind gate()), the silences read as each round starts. */
  around(inner: Delivery): Delivery {
    return {
      startRound: () => {
        this.startRound();
        inner.startRound();
      },
      peer: (peer) => {
        // Back as announced, or not silenced: its next held state says a line again.
        if (!peer.changed || this.silenceOf(peer) === undefined) this.held.delete(peer.url);
        return inner.peer(peer);
      },
      endRound: () => inner.endRound(),
      // The wrapped delivery's own METRICS_FILE counters (QUORUM's view requests) pass through.
      counters: () => inner.counters?.() ?? [],
    };
  }

  /** `channel` behind the silences: a silenced peer's change never reaches it. */
  gate(channel: Delivery): Delivery {
    return {
      startRound: () => channel.startRound(),
      peer: (peer) => this.pass(channel, peer),
      endRound: () => channel.endRound(),
      counters: () => channel.counters?.() ?? [],
    };
  }

  private startRound(): void {
    const now = this.now();
    const own = this.sources.own();
    this.ownRunning = activeSilences(own, now);
    const all = mergeSilences(own, this.sources.others?.() ?? new Map());
    const active = activeSilences(all, now);
    for (const address of this.active.keys()) {
      if (active.has(address)) continue;
      // Still in the file: it ran out; gone from it: `watcher unsilence` (or the file removed).
      log(this.stderr, 'info', `silence of ${white(address)} ${all.has(address) ? 'ended' : 'lifted'}`);
    }
    for (const [address, s] of active) {
      if (this.active.get(address)?.untilMs === s.untilMs) continue;
      const reason = s.reason === '' ? '' : `: ${escaped(s.reason)}`;
      log(this.stderr, 'info', `silence of ${white(address)} until ${formatUntil(s.untilMs)}${reason}`);
    }
    this.active = active;
  }

  private silenceOf(peer: RoundPeer): Silence | undefined {
    return this.active.get(peerAddress(peer.url));
  }

  private pass(channel: Delivery, peer: RoundPeer): Steps {
    const silence = this.silenceOf(peer);
    if (silence === undefined || !peer.changed) return channel.peer(peer);
    if (this.held.get(peer.url) !== peer.state) {
      this.held.set(peer.url, peer.state);
      const reason = silence.reason === '' ? '' : ` (${escaped(silence.reason)})`;
      log(this.stderr, 'info', `silenced until ${formatUntil(silence.untilMs)}${reason}: ${white(peer.message)}`);
    }
    // Still up, or still down, as announced: handed over as a peer with nothing to notify.
    if (peer.last === '' || wasUp(peer.last) !== peer.up) return [];
    const quiet: RoundPeer = { ...peer, changed: false };
    return unwritten(channel.peer(quiet), quiet);
  }
}

/** `steps` with `peer` never written: its state is not the one announced (held, not sent). */
async function* unwritten(steps: Steps, peer: RoundPeer): AsyncIterable<Handled> {
  for await (const handled of steps) yield { ...handled, written: handled.written.filter((p) => p !== peer) };
}

/** A reason as given: log lines go through printf %b (log.ts), so its backslashes are doubled. */
function escaped(reason: string): string {
  return reason.replaceAll('\\', '\\\\');
}

/**
 * This node's silences (STATE_DIR/silences.json, read when it changed) and, under QUORUM, those
 * of the views it fetched (`views`, fed by the quorum: silences.ts ViewSilences). Under QUORUM
 * the policy goes between the quorum and the channels (quorum → around → channels' gates): a
 * silence learned from a view fetched in a round then already holds what the quorum decides to
 * announce in that round.
 */
export function silencePolicy(stateDir: string, stderr: Stderr, views?: ViewSilences): SilencePolicy {
  const file = new SilencesFile(silencesPath(stateDir), (problem) => log(stderr, 'warn', problem));
  return new SilencePolicy({ own: () => file.current(), ...(views ? { others: () => views.current() } : {}) }, stderr);
}
