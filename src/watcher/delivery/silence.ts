// Silences (docs/behaviour.md §10 "Silences"), a policy over the configured delivery: while a
// peer is silenced, a change of its state is not handed to the delivery, so nothing is sent
// and its state file keeps the last state ANNOUNCED. When the silence ends (it expires, or
// `watcher unsilence`), the round compares the peer's state with that file as always: a state
// that differs is announced then, once, as it is at that moment (nothing lost, nothing stale);
// a peer back where it was announced sends nothing. A peer whose state is still the one
// announced, or whose held state is still up (or still down) as announced, is handed over as
// one with nothing to notify (a digest counts it, Alertmanager keeps its alert firing).
//
// Lines, only when silences exist (with none, stderr is the originals'): `silence of <address>
// until <time>: <reason>` when one is first seen, `silenced until <time>: <message>` when a
// change is held (once per state held), `silence of <address> ended` (or `lifted`) when it ends.
import { log, white, type Stderr } from '../../log.ts';
import {
  activeSilences,
  formatUntil,
  mergeSilences,
  peerAddress,
  SilencesFile,
  silencesPath,
  type Silences,
  type ViewSilences,
} from '../silences.ts';
import { wasUp, type Delivery, type Handled, type RoundPeer, type Steps } from './delivery.ts';

export interface SilenceSources {
  /** This node's silences (STATE_DIR/silences.json), read at the start of every round. */
  readonly own: () => Silences;
  /** Silences other nodes' views carry (QUORUM): none without it. */
  readonly others?: () => Silences;
}

export class SilenceDelivery implements Delivery {
  /** The silences running in this round, and in the round before (for the start and end lines). */
  private active: Silences = new Map();
  /** Per peer URL, the state held last (its line was said; a new state says a new one). */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly inner: Delivery,
    private readonly sources: SilenceSources,
    private readonly stderr: Stderr,
    private readonly now: () => number = Date.now,
  ) {}

  private ownRunning: Silences = new Map();

  startRound(): void {
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
    this.inner.startRound();
  }

  /** This node's own silences running this round: what its view carries under QUORUM (never others'). */
  get ownActive(): Silences {
    return this.ownRunning;
  }

  peer(peer: RoundPeer): Steps {
    const silence = this.active.get(peerAddress(peer.url));
    if (silence === undefined || !peer.changed) {
      this.held.delete(peer.url);
      return this.inner.peer(peer);
    }
    if (this.held.get(peer.url) !== peer.state) {
      this.held.set(peer.url, peer.state);
      const reason = silence.reason === '' ? '' : ` (${escaped(silence.reason)})`;
      log(this.stderr, 'info', `silenced until ${formatUntil(silence.untilMs)}${reason}: ${white(peer.message)}`);
    }
    // Still up, or still down, as announced: handed over as a peer with nothing to notify, so a
    // digest counts it and Alertmanager keeps its alert firing (and resolves none).
    if (peer.last === '' || wasUp(peer.last) !== peer.up) return [];
    const quiet: RoundPeer = { ...peer, changed: false };
    return unwritten(this.inner.peer(quiet), quiet);
  }

  endRound(): Steps {
    return this.inner.endRound();
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
 * The configured delivery with this node's silences (STATE_DIR/silences.json) honoured, and,
 * under QUORUM, the silences of the views it fetched (`views`, fed by the quorum: silences.ts
 * ViewSilences). Under QUORUM this policy goes between the quorum and the channels (quorum →
 * silences → channels): a silence the quorum learns from a view it fetched in this round then
 * already holds an announcement it decides in the same round.
 */
export function withSilences(delivery: Delivery, stateDir: string, stderr: Stderr, views?: ViewSilences): SilenceDelivery {
  const file = new SilencesFile(silencesPath(stateDir), (problem) => log(stderr, 'warn', problem));
  return new SilenceDelivery(delivery, { own: () => file.current(), ...(views ? { others: () => views.current() } : {}) }, stderr);
}
