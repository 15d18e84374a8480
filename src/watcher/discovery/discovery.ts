// The seam between a round and the ways it finds its peers (docs/behaviour.md §6.4). The round
// (../watcher.ts) asks a Discovery for this round's peer URLs once per round and polls them;
// the warn lines that go with them are printed by the round, in order, before it polls.
//
// To add a discovery method: a class implementing Discovery in this folder, built in
// discoveryFor from the variables that ask for it.
//   ARecordDiscovery .. PEERS_DNS's addresses: getent, else Node's resolver, else the hosts
//                       file (D21), the last answer's peers while the resolver is down (D43)
//                       (a-records.ts over resolve.ts and outage.ts)
import type { WatcherConfig } from '../../env.ts';
import { ARecordDiscovery } from './a-records.ts';

/** One round's peers. */
export interface DiscoveredPeers {
  /** The peers' URLs, in the order they are polled and reported. */
  readonly urls: readonly string[];
  /** Warn lines for the operator (a resolver that did not answer, no peer at all), in order. */
  readonly warnings: readonly string[];
}

export interface Discovery {
  peers(): Promise<DiscoveredPeers>;
}

export function discoveryFor(config: WatcherConfig): Discovery {
  return new ARecordDiscovery(config);
}
