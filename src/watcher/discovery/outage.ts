// D43: a resolver that does not answer does not blind the watcher. While getent (or Node's
// resolver, D21) fails for want of an answer (a timeout, no server, SERVFAIL), the peers of the
// last round the resolver answered are polled again, for at most STALE_PEERS_MS after that
// round. A name that has no addresses (NXDOMAIN, an empty answer) is an answer: its empty list
// is taken as the originals take it (docs/behaviour.md §6.4-5). Pure functions; the I/O is in
// resolve.ts and a-records.ts.
import { white } from '../../log.ts';

/** How long after the last answer its peers are still polled (D43). */
export const STALE_PEERS_MS = 10 * 60 * 1000;

/** The peers (local addresses dropped) of the last round the resolver answered, and that round's start. */
export interface LastPeers {
  readonly peers: readonly string[];
  readonly atMs: number;
}

/** What this round's resolution gave, local addresses dropped. */
export type RoundPeers =
  /** The resolver answered: these are the peers (none for a name without addresses). */
  | { readonly answered: true; readonly peers: readonly string[] }
  /**
   * It did not answer, for `reason`. `hostsFile`: the hosts file's peers when getent was
   * killed (D21: NSS files alone); they win over the last list, as NSS reads files first.
   */
  | { readonly answered: false; readonly reason: string; readonly hostsFile: readonly string[] };

export interface PeerChoice {
  /** The peers to poll this round. */
  readonly peers: readonly string[];
  /** What to remember for the next round. */
  readonly last: LastPeers | undefined;
  /** Set when the last list is polled (D43): how old it is, for the warning. */
  readonly staleMs?: number;
}

/** True when `last` holds peers young enough to poll again at `nowMs`. */
export function stalePeersUsable(last: LastPeers | undefined, nowMs: number): last is LastPeers {
  return last !== undefined && last.peers.length > 0 && nowMs - last.atMs <= STALE_PEERS_MS;
}

/**
 * This round's peers. An answer is taken and remembered (even an empty one: a name that lost
 * its addresses does not come back from memory). Without an answer: the hosts file's peers if
 * any (D21), else the last answer's while it is young enough, else none (the originals).
 */
export function choosePeers(last: LastPeers | undefined, round: RoundPeers, nowMs: number): PeerChoice {
  if (round.answered) return { peers: round.peers, last: { peers: round.peers, atMs: nowMs } };
  if (round.hostsFile.length > 0) return { peers: round.hostsFile, last };
  if (stalePeersUsable(last, nowMs)) return { peers: last.peers, last, staleMs: nowMs - last.atMs };
  return { peers: [], last };
}

/** The warn line of a round that polls the last peers (D43). */
export function stalePeersWarning(name: string, reason: string, count: number, staleMs: number): string {
  const peers = count === 1 ? 'peer' : 'peers';
  const age = white(`${Math.floor(staleMs / 1000)}s`);
  return `cannot resolve ${white(name)} (${reason}): polling the ${count} ${peers} resolved ${age} ago (for at most ${STALE_PEERS_MS / 1000}s after)`;
}
