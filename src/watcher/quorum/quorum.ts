// QUORUM's round (docs/behaviour.md §10 "Quorum"): from the peers this watcher polled, which
// changes it announces now, which it records as announced by another watcher, and whether it
// says it is cut off; with the view written to VIEW_FILE before any other watcher is asked
// (so they read this round's observations) and again once states were written (so the next
// in line sees `announced` at once and sends no copy).
//
// A pending change: a peer whose state this round differs from its state file (or there is
// none). Only pending changes cost requests: a quiet mesh fetches no view. The decisions are
// confirm.ts's, the isolation rule isolation.ts's, the ranking ranking.ts's; this file holds
// what lasts between rounds (since when each change is pending, the isolation episode) and the
// I/O (views fetched through fetch.ts, VIEW_FILE written atomically).
import { errnoCode, errnoText } from '../../errno.ts';
import { log, white, type Stderr } from '../../log.ts';
import { writeFileAtomic } from '../state.ts';
import { roundsWaited, settle, type Opinion, type Outcome, type Rule } from './confirm.ts';
import type { Fetched } from './fetch.ts';
import { isolated, isolationLine, mayBeIsolated, nextEpisode, NO_EPISODE, saidEpisode, viewsNeeded, type Episode } from './isolation.ts';
import { peerAddress } from '../message.ts';
import { rank } from './ranking.ts';
import type { Silences } from '../silences.ts';
import { renderView, type Heard, type PeerView } from './view.ts';

/** One peer of the round, as the round polled it. */
export interface QuorumPeer {
  readonly url: string;
  readonly up: boolean;
  /** This round's §6.6d state string, and the state file's ('' for none). */
  readonly state: string;
  readonly last: string;
  /** The peer answered this round (an HTTP status, not 000): its probe can be asked for its view. */
  readonly answered: boolean;
  /** When the state file was written (ms), for `since` after a restart. */
  readonly lastWrittenMs?: () => number | undefined;
}

/** Where views come from: fetch.ts's ViewFetcher (tests pass a fake). */
export interface ViewSource {
  startRound(): void;
  servesNoView(address: string): boolean;
  /** The view of the node at `address`, whose probe the round polled at `url`. */
  fetch(address: string, url: string): Promise<Fetched>;
}

export interface QuorumOptions {
  /** This watcher's identity: the address the other nodes poll it at (modes.ts thisNode). */
  readonly self: string;
  readonly rule: Rule;
  /** POLLING_INTERVAL_SEC + TIMEOUT: a bound on this watcher's round, written in its view. */
  readonly roundS: number;
  readonly viewFile: string;
  readonly views: ViewSource;
  /**
   * §10 "Silences": this node's own silences running this round (its view carries them), and
   * where the silences of each fresh view fetched go (silences.ts ViewSilences).
   */
  readonly silences?: { own(): Silences; seen(node: string, silences: Silences): void };
  readonly now?: () => number;
  readonly stderr: Stderr;
}

/** What the round does with its peers (indexes into the peers given to decide). */
export interface Decision {
  /** Changes to send now, with the agreement found. */
  readonly announce: ReadonlyMap<number, { readonly agree: number; readonly of: number }>;
  /** Changes another watcher announced: write the state file, send nothing. */
  readonly record: ReadonlySet<number>;
  /** The isolation line to send this round (once per episode). */
  readonly isolation?: string;
}

/** How long another node's view, once fetched, is shown in this node's view (`heard`). */
export const HEARD_KEEP_S = 600;

/** ` (<a> of <n> agree)`, after the §6.6c line of an announced change. */
export function agreement(agree: number, of: number): string {
  return ` (${agree} of ${of} agree)`;
}

interface Pending {
  readonly up: boolean;
  readonly sinceMs: number;
  /** The "not confirmed" line was printed for this change. */
  said: boolean;
}

export class Quorum {
  /** Since when this watcher sees each peer (by address) up or down: the view's `since`. */
  private seen = new Map<string, { up: boolean; sinceMs: number }>();
  private pending = new Map<string, Pending>();
  private episode: Episode = NO_EPISODE;
  /** This round's view of each peer, rewritten as states are written. */
  private current = new Map<string, PeerView>();
  private viewWritten = false;
  private viewFailing = false;
  /** The last fresh view fetched from each node, for the status page's matrix (view.ts `heard`). */
  private readonly heard = new Map<string, Heard>();

  constructor(private readonly options: QuorumOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Before the round polls: views are fetched again when needed, and a watcher that just
   * started publishes an (empty) view at once, so the others do not take it for a node
   * without the mode (a 404) while its first round runs.
   */
  startRound(): void {
    this.options.views.startRound();
    if (!this.viewWritten) this.writeView();
  }

  async decide(peers: readonly QuorumPeer[]): Promise<Decision> {
    const nowMs = this.now();
    const addresses = peers.map((p) => peerAddress(p.url));
    this.observe(peers, addresses, nowMs);
    this.writeView();
    const announce = new Map<number, { agree: number; of: number }>();
    const record = new Set<number>();
    const changes = peers.flatMap((p, i) => (this.pending.has(addresses[i] as string) ? [i] : []));
    if (changes.length === 0) {
      this.episode = NO_EPISODE;
      return { announce, record };
    }

    // Views of this round, fetched at most once each, shared by every peer's decision.
    const fetched = new Map<string, Fetched>();
    const urls = new Map(addresses.map((a, i) => [a, (peers[i] as QuorumPeer).url]));
    const fetch = async (address: string): Promise<void> => {
      const got = await this.options.views.fetch(address, urls.get(address) as string);
      fetched.set(address, got);
      if (got.kind === 'view') {
        this.options.silences?.seen(got.view.node, got.view.silences ?? new Map());
        this.heard.set(got.view.node, { at: got.view.at, up: new Map([...got.view.peers].map(([a, p]) => [a, p.up])) });
      }
    };
    const answering = addresses.filter((a, i) => peers[i]?.answered && a !== this.options.self);
    const candidates = (): string[] => [this.options.self, ...answering.filter((a) => !this.options.views.servesNoView(a))];

    // The isolation rule first: cut off, this watcher announces nothing (isolation.ts).
    const pendingDown = changes.filter((i) => !peers[i]?.up).length;
    const counts = { pendingDown, peers: peers.length };
    if (mayBeIsolated(this.options.rule, counts)) {
      const needed = viewsNeeded(this.options.rule);
      let fresh = 0;
      for (const a of candidates().slice(1)) {
        if (fresh >= needed) break;
        await fetch(a);
        if (fetched.get(a)?.kind === 'view') fresh += 1;
      }
      const cut = isolated(this.options.rule, { ...counts, freshViews: fresh });
      const { say, ...episode } = nextEpisode(this.episode, cut);
      this.episode = episode;
      if (cut) return { announce, record, ...(say ? { isolation: isolationLine(this.options.self, pendingDown, peers.length) } : {}) };
    } else {
      this.episode = NO_EPISODE;
    }

    for (const i of changes) {
      const peer = peers[i] as QuorumPeer;
      const address = addresses[i] as string;
      const pending = this.pending.get(address) as Pending;
      const opinion = (a: string): Opinion => {
        const got = fetched.get(a);
        if (got === undefined) return { kind: 'unknown' };
        if (got.kind === 'none') return { kind: 'none' };
        return { kind: 'view', peer: got.view.peers.get(address), at: got.view.at, roundS: got.view.roundS };
      };
      const outcome = await settle(
        {
          self: this.options.self,
          ranking: () => rank(address, candidates()),
          up: peer.up,
          state: peer.state,
          lastUp: upOf(peer.last),
          waited: roundsWaited(pending.sinceMs, nowMs, this.options.roundS),
          rule: this.options.rule,
          nowS: nowMs / 1000,
        },
        opinion,
        fetch,
      );
      if (outcome.kind === 'announce') announce.set(i, { agree: outcome.agree, of: outcome.of });
      else if (outcome.kind === 'record') record.add(i);
      this.explain(peer, pending, outcome);
    }
    return { announce, record };
  }

  /** States were written for these peers (delivered, or recorded): the view says so now. */
  written(peers: readonly QuorumPeer[]): void {
    for (const peer of peers) {
      const address = peerAddress(peer.url);
      this.pending.delete(address);
      const view = this.current.get(address);
      if (view !== undefined) this.current.set(address, { ...view, state: peer.state, announced: true });
    }
    if (peers.length > 0) this.writeView();
  }

  /** The isolation line was delivered (or refused for good): not said again this episode. */
  isolationSaid(): void {
    this.episode = saidEpisode(this.episode);
  }

  /** Updates since-when and the pending changes from this round's peers. */
  private observe(peers: readonly QuorumPeer[], addresses: readonly string[], nowMs: number): void {
    const seen = new Map<string, { up: boolean; sinceMs: number }>();
    const pending = new Map<string, Pending>();
    this.current = new Map();
    peers.forEach((peer, i) => {
      const address = addresses[i] as string;
      const before = this.seen.get(address);
      const sinceMs =
        before !== undefined && before.up === peer.up
          ? before.sinceMs
          : before === undefined && upOf(peer.last) === peer.up
            ? (peer.lastWrittenMs?.() ?? nowMs)
            : nowMs;
      seen.set(address, { up: peer.up, sinceMs });
      if (peer.state !== peer.last) {
        const was = this.pending.get(address);
        pending.set(address, was !== undefined && was.up === peer.up ? was : { up: peer.up, sinceMs: nowMs, said: false });
      }
      this.current.set(address, { up: peer.up, state: peer.state, since: sinceMs / 1000, announced: peer.state === peer.last });
    });
    // Peers no longer polled (gone from DNS) are forgotten.
    this.seen = seen;
    this.pending = pending;
  }

  /** One line per pending change the first time it is held back (stderr stays quiet). */
  private explain(peer: QuorumPeer, pending: Pending, outcome: Outcome): void {
    if (outcome.kind === 'record') {
      log(this.options.stderr, 'info', `quorum: announced by ${white(outcome.by)}: ${peer.url} ${peer.state}`);
      return;
    }
    if (outcome.kind !== 'unconfirmed' || pending.said) return;
    pending.said = true;
    log(
      this.options.stderr,
      'info',
      `quorum: not confirmed yet (${outcome.agree} of ${outcome.of} agree), kept pending: ${peer.url} ${peer.last || '(none)'} -> ${peer.state}`,
    );
  }

  private writeView(): void {
    const { options } = this;
    const silences = options.silences?.own() ?? new Map();
    const at = this.now() / 1000;
    // What was heard longer ago than HEARD_KEEP_S says nothing any more.
    for (const [node, h] of this.heard) if (at - h.at > HEARD_KEEP_S) this.heard.delete(node);
    const text = renderView({ node: options.self, at, roundS: options.roundS, peers: this.current, silences, heard: this.heard });
    try {
      writeFileAtomic(options.viewFile, text);
      this.viewWritten = true;
      this.viewFailing = false;
    } catch (err) {
      // Said once until it works again: without its view this watcher is "no view" to the others.
      if (!this.viewFailing)
        log(
          options.stderr,
          'error',
          `cannot write view file ${white(options.viewFile)}: ${errnoText(err) ?? errnoCode(err) ?? String(err)}`,
        );
      this.viewFailing = true;
    }
  }
}

/** The up/down of a state string (`up:...` / `down:...`); undefined for none. */
export function upOf(state: string): boolean | undefined {
  if (state.startsWith('up:')) return true;
  if (state.startsWith('down:')) return false;
  return undefined;
}
