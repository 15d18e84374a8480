// QUORUM's isolation rule (docs/behaviour.md §10 "Quorum"), pure. A watcher that sees most of its
// peers go down at once while almost none of the peers that still answer serve a view cannot
// tell the mesh's failure from its own network's: it says so once, naming itself, and announces
// nothing about the others until it reaches enough of them again (their changes stay pending, and
// vanish when the link returns, since its state files still say up).
import type { Rule } from './confirm.ts';

export interface IsolationInput {
  /** Peers whose pending change is to down (this watcher sees them down, its state file does not). */
  readonly pendingDown: number;
  /** Peers polled this round. */
  readonly peers: number;
  /** Peers that answered this round and serve a fresh view. */
  readonly freshViews: number;
}

/** Fresh views from answering peers below which a watcher losing most of its peers is isolated: k−1; majority: 1 (none). */
export function viewsNeeded(rule: Rule): number {
  return rule.kind === 'majority' ? 1 : rule.k - 1;
}

/**
 * More than half of at least 2 peers pending down, and fewer fresh views than viewsNeeded. A
 * mesh of 2 nodes is left out: there one dead node and a cut link look the same from both sides.
 */
export function isolated(rule: Rule, input: IsolationInput): boolean {
  return input.peers >= 2 && input.pendingDown * 2 > input.peers && input.freshViews < viewsNeeded(rule);
}

/** Whether the rule's condition may hold, before any view is fetched (freshViews unknown). */
export function mayBeIsolated(rule: Rule, input: Omit<IsolationInput, 'freshViews'>): boolean {
  return isolated(rule, { ...input, freshViews: 0 });
}

export function isolationLine(node: string, unreachable: number, peers: number): string {
  return `${node} cannot reach ${unreachable} of ${peers} peers: its own network may be down`;
}

/**
 * Once per episode: `say` is true in the first isolated round until the line was delivered;
 * the episode ends in the first round that is not isolated.
 */
export interface Episode {
  readonly isolated: boolean;
  readonly said: boolean;
}

export const NO_EPISODE: Episode = { isolated: false, said: false };

export function nextEpisode(previous: Episode, isolatedNow: boolean): Episode & { readonly say: boolean } {
  if (!isolatedNow) return { ...NO_EPISODE, say: false };
  return { isolated: true, said: previous.said, say: !previous.said };
}

/** The episode after the line was delivered (or refused for good). */
export function saidEpisode(episode: Episode): Episode {
  return { isolated: episode.isolated, said: true };
}
