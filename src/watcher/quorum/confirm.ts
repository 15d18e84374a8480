// QUORUM's decision for one peer P with a pending change (docs/behaviour.md §10 "Quorum"), pure:
// given P's ranking, how long this watcher has seen the change and what the views fetched so far
// say, either the next view to fetch or the outcome of the round. The caller (policy.ts) loops:
// decide, fetch what it asks for (each view at most once a round, shared by every peer), decide
// again; so fetching stops as soon as the outcome is known either way.
//
//   wait         not this watcher's turn (t < j) and no view shows the change announced
//   record       a view shows it announced by the mesh: write the state file, send nothing
//   announce     its turn, confirmed: send it (" (a of n agree)"), then write the state file
//   unconfirmed  its turn, not confirmed: keep it pending, send nothing
//
// j = this watcher's position in P's ranking (0 = first), t = rounds it has seen the change.
// Position j speaks after j rounds, and not while a higher-ranked watcher that runs and sees the
// change is still on it (stillOnIt): take-over needs no message between watchers (the views say
// what was announced, and who is alive).
import { freshForS, type PeerView } from './view.ts';

/** QUORUM=<k> or QUORUM=majority. */
export type Rule = { readonly kind: 'count'; readonly k: number } | { readonly kind: 'majority' };

/** What one candidate's view says about P this round. */
export type Opinion =
  /** Not fetched yet this round. */
  | { readonly kind: 'unknown' }
  /** No view (no answer, not 200, malformed, stale): never a vote. */
  | { readonly kind: 'none' }
  /**
   * A fresh view; `peer` undefined when it says nothing about P (that watcher has not polled
   * it). `at` and `roundS` are the view's own (when written, its writer's round bound).
   */
  | { readonly kind: 'view'; readonly peer: PeerView | undefined; readonly at: number; readonly roundS: number };

export interface Case {
  readonly self: string;
  /** The candidates, this watcher included, in P's ranking order (ranking.ts). */
  readonly ranking: readonly string[];
  /** This watcher's up/down and state string of P this round. */
  readonly up: boolean;
  readonly state: string;
  /** The up/down of P's last announced state (its state file); undefined when there is none. */
  readonly lastUp: boolean | undefined;
  /** t: whole rounds since this watcher first saw the pending change (roundsWaited). */
  readonly waited: number;
  readonly rule: Rule;
  /** Views fetched on this case's behalf this round: a watcher whose turn it is not fetches at most one. */
  readonly fetched: number;
  /** Now, seconds since the epoch (this watcher's clock). */
  readonly nowS: number;
}

export type Outcome =
  | { readonly kind: 'wait'; readonly position: number }
  | { readonly kind: 'record'; readonly by: string }
  | { readonly kind: 'announce'; readonly agree: number; readonly of: number }
  | { readonly kind: 'unconfirmed'; readonly agree: number; readonly of: number };

export type Step = { readonly kind: 'fetch'; readonly from: string } | { readonly kind: 'done'; readonly outcome: Outcome };

/** Views a watcher fetches in a round where it is not its turn. */
export const WAITING_FETCHES = 1;
/** A view written within this many of its writer's rounds comes from a watcher that is running. */
export const LIVE_ROUNDS = 2;

/**
 * Whether a view shows P's change announced: P's up/down as ours and `announced`. When the
 * change keeps up/down (down:1/3 -> down:0/3), only the same state string counts: the other
 * watcher's file may still hold the earlier one.
 */
export function showsAnnounced(c: Pick<Case, 'up' | 'state' | 'lastUp'>, peer: PeerView | undefined): boolean {
  if (peer === undefined || !peer.announced || peer.up !== c.up) return false;
  return c.lastUp !== c.up || peer.state === c.state;
}

export function decide(c: Case, opinion: (address: string) => Opinion): Step {
  const j = Math.max(0, c.ranking.indexOf(c.self));
  const others = c.ranking.filter((a) => a !== c.self);
  // Any view already at hand that shows it announced settles it, whatever its rank (free).
  for (const a of others) {
    const o = opinion(a);
    if (o.kind === 'view' && showsAnnounced(c, o.peer)) return done({ kind: 'record', by: a });
  }
  const higher = c.ranking.slice(0, j);
  if (c.waited < j) {
    // Not its turn: watch the first higher-ranked watcher that serves a view, one fetch a round.
    for (const a of higher) {
      const o = opinion(a);
      if (o.kind === 'view') break;
      if (o.kind === 'unknown') return c.fetched < WAITING_FETCHES ? { kind: 'fetch', from: a } : done({ kind: 'wait', position: j });
    }
    return done({ kind: 'wait', position: j });
  }
  // Its turn: first every higher-ranked view (did one of them announce it?), then the vote, in
  // ranking order (the higher-ranked come first in it anyway).
  let agree = 1; // this watcher
  let consulted = 1;
  let disagree = 0;
  let unknown = 0;
  let next: string | undefined;
  for (const a of others) {
    const o = opinion(a);
    if (o.kind === 'unknown') {
      unknown += 1;
      next ??= a;
    } else if (o.kind === 'view') {
      consulted += 1;
      if (o.peer !== undefined && o.peer.up === c.up) agree += 1;
      else disagree += 1;
    }
  }
  const firstHigherUnknown = higher.find((a) => opinion(a).kind === 'unknown');
  if (firstHigherUnknown !== undefined) return { kind: 'fetch', from: firstHigherUnknown };
  if (higher.some((a) => stillOnIt(c, opinion(a)))) return done({ kind: 'wait', position: j });
  const of = consulted + unknown;
  const verdict = vote(c.rule, { agree, consulted, disagree, unknown });
  if (verdict === 'confirmed') return done({ kind: 'announce', agree, of });
  if (verdict === 'refused' || next === undefined) return done({ kind: 'unconfirmed', agree, of });
  return { kind: 'fetch', from: next };
}

/**
 * A higher-ranked watcher is still on it: its view is current (written within LIVE_ROUNDS of its
 * rounds: it runs), it sees the change, and it first saw it less than a view's freshness bound
 * (3 rounds + 10 s) ago. Its message may be waiting for Telegram's flood control, which at a
 * fresh start or in a large event holds messages for seconds: taking over then would send a
 * copy. A watcher that stopped writing views, or that has not announced a change it has seen
 * for that long (its Telegram is blocked, say), is taken over at once.
 */
export function stillOnIt(c: Pick<Case, 'up' | 'nowS'>, o: Opinion): boolean {
  if (o.kind !== 'view' || o.peer === undefined || o.peer.up !== c.up) return false;
  return c.nowS - o.at <= LIVE_ROUNDS * o.roundS && c.nowS - o.peer.since < freshForS(o.roundS);
}

export interface Tally {
  /** Views agreeing with this watcher, itself included. */
  readonly agree: number;
  /** Views read (fresh ones), itself included. */
  readonly consulted: number;
  readonly disagree: number;
  /** Candidates not fetched yet: each may still agree, disagree or serve no view. */
  readonly unknown: number;
}

/**
 * The vote so far: confirmed or refused whatever the unknown views turn out to be, else open.
 * - majority: agreeing > half of the watchers that serve a view. As a margin m = 2·agree −
 *   consulted, an unknown view adds +1 (agrees), −1 (disagrees) or 0 (no view): confirmed
 *   when m − unknown > 0, refused when m + unknown ≤ 0.
 * - k: agreeing ≥ k. When fewer than k watchers serve a view at all and every one agrees
 *   (nobody disagrees, nothing unknown), that is confirmed too: a mesh of fewer than k+1 nodes
 *   (or of nodes without the mode) still hears about a dead node. A watcher cut off alone is
 *   the isolation rule's (isolation.ts), checked before any of this.
 */
export function vote(rule: Rule, t: Tally): 'confirmed' | 'refused' | 'open' {
  if (rule.kind === 'majority') {
    const margin = 2 * t.agree - t.consulted;
    if (margin - t.unknown > 0) return 'confirmed';
    if (margin + t.unknown <= 0) return 'refused';
    return 'open';
  }
  if (t.agree >= rule.k) return 'confirmed';
  if (t.disagree === 0 && t.unknown === 0) return 'confirmed';
  if (t.disagree > 0 && t.agree + t.unknown < rule.k) return 'refused';
  return 'open';
}

/**
 * decide() run to its outcome: each view it asks for is fetched (`fetch` makes `opinion` know
 * it), one after another. The ranking is taken again after each fetch: a node found to serve
 * no view (a 404) leaves it at once, and that fetch does not count against a waiting
 * watcher's one view. Bounded by the ranking's length: a fetch that teaches nothing ends it
 * as unconfirmed.
 */
export async function settle(
  c: Omit<Case, 'fetched' | 'ranking'> & { readonly ranking: () => readonly string[] },
  opinion: (address: string) => Opinion,
  fetch: (address: string) => Promise<void>,
): Promise<Outcome> {
  let fetched = 0;
  const bound = c.ranking().length;
  for (let i = 0; i <= bound; i++) {
    const step = decide({ ...c, ranking: c.ranking(), fetched }, opinion);
    if (step.kind === 'done') return step.outcome;
    if (opinion(step.from).kind !== 'unknown') break;
    await fetch(step.from);
    if (c.ranking().includes(step.from)) fetched += 1;
  }
  return { kind: 'unconfirmed', agree: 1, of: Math.max(1, bound) };
}

/** t: whole rounds of `roundS` seconds (POLLING_INTERVAL_SEC + TIMEOUT) since `sinceMs`. */
export function roundsWaited(sinceMs: number, nowMs: number, roundS: number): number {
  if (!(roundS > 0) || !Number.isFinite(roundS)) return 0;
  return Math.max(0, Math.floor((nowMs - sinceMs) / (roundS * 1000)));
}

function done(outcome: Outcome): Step {
  return { kind: 'done', outcome };
}
