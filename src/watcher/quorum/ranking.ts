// Who reports a peer's change under QUORUM (docs/behaviour.md §10 "Quorum"): rendezvous hashing
// of (peer, watcher), the same on every node with no coordinator. Pure.
//
// score(w) for peer P = the first 8 bytes of sha256("<P>\n<w>") as a big-endian unsigned
// integer; the higher score ranks first, equal scores by the address string. Identities are
// addresses: a peer's is the host part of its URL (message.ts peerAddress), a watcher's the
// address the others poll it at.
import { createHash } from 'node:crypto';

export function score(peer: string, watcher: string): bigint {
  return createHash('sha256').update(`${peer}\n${watcher}`, 'utf8').digest().readBigUInt64BE(0);
}

/** `candidates` (duplicates and `peer` itself left out) in `peer`'s ranking order, first = reporter. */
export function rank(peer: string, candidates: Iterable<string>): string[] {
  const scored = [...new Set(candidates)].filter((w) => w !== peer).map((w) => ({ watcher: w, score: score(peer, w) }));
  return scored.sort(byRank).map((x) => x.watcher);
}

/** Higher score first; equal scores by the address string (code units). */
export function byRank(a: { watcher: string; score: bigint }, b: { watcher: string; score: bigint }): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  return a.watcher < b.watcher ? -1 : a.watcher > b.watcher ? 1 : 0;
}
