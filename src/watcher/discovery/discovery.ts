// The seam between a round and the ways it finds its peers (docs/behaviour.md §6.4, §12). The
// round (../watcher.ts) prints a Discovery's round line, asks it for this round's peers once
// per round and polls them; the warn lines that go with them are printed by the round, in
// order, before it polls. A discovery also says how its peers are read and reported: the
// originals' way (§6: `GET /`, `.status.summary`, curl's lines) or the SRV version's (§12).
//
// To add a discovery method: a class implementing Discovery in this folder, built in
// discoveryFor from the variables that ask for it.
//   ARecordDiscovery .. PEERS_DNS's addresses: getent, else Node's resolver, else the hosts
//                       file (D21), the last answer's peers while the resolver is down (D43)
//                       (a-records.ts over resolve.ts and outage.ts)
//   SrvDiscovery ...... PEERS_SRV's SRV records, each target's first address (srv.ts, §12)
import type { WatcherConfig } from '../../env.ts';
import type { Evaluation, StatusReply } from '../evaluate.ts';
import { ARecordDiscovery } from './a-records.ts';
import { SrvDiscovery } from './srv.ts';

/** A peer to poll. */
export interface DiscoveredPeer {
  /** `<scheme>://<address>:<port>`: the peer's name in metrics, alerts and the delivery's bookkeeping. */
  readonly url: string;
  /** What is requested: the URL itself (§6, `GET /`), or its `/status` (§12). */
  readonly requestUrl: string;
  /** The peer in messages: its URL (§6), or `TARGET (IP)` (§12). */
  readonly label: string;
  /** The state file is `<cksum of this>.state`: the URL (§6), or the target (§12). */
  readonly stateKey: string;
}

/** How a round reads and reports the peers of a discovery. */
export interface PeerReading {
  /** What a reply says (up or down, counts, failures). */
  evaluate(reply: StatusReply): Evaluation;
  /** Whether curl's error line of a failed request is printed (§6 a: yes; §12: curl's stderr is discarded). */
  readonly curlLines: boolean;
  /** Whether an unchanged peer gets the info line `no change: <message>` (§12 only). */
  readonly noChangeLines: boolean;
}

/** One round's peers. */
export interface DiscoveredPeers {
  /** The peers, in the order they are polled and reported. */
  readonly peers: readonly DiscoveredPeer[];
  /** Warn lines for the operator (a resolver that did not answer, no peer at all), in order. */
  readonly warnings: readonly string[];
}

export interface Discovery {
  /** How the round reads and reports these peers. */
  readonly reading: PeerReading;
  /** The round's first line (info): it names where the peers come from. */
  roundLine(): string;
  peers(): Promise<DiscoveredPeers>;
}

/** PEERS_SRV when set (it wins over PEERS_DNS, §12), else PEERS_DNS. */
export function discoveryFor(config: WatcherConfig): Discovery {
  const { peersSrv } = config;
  return peersSrv !== null ? new SrvDiscovery({ ...config, peersSrv }) : new ARecordDiscovery(config);
}
