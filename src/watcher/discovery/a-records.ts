// The originals' discovery (docs/behaviour.md §6.4): the addresses PEERS_DNS resolves to, minus
// this node's own, each as `<PEERS_SCHEME>://<address>:<PEERS_PORT>`. The resolver is asked
// through a fallback chain: getent; Node's resolver when there is no getent (D21); the hosts
// file alone when getent did not answer in time (D21). While the resolver does not answer, the
// peers of its last answer are polled again for a while (D43, outage.ts).
import fs from 'node:fs';
import { decode, encode } from '../../bytes.ts';
import type { WatcherConfig } from '../../env.ts';
import { white } from '../../log.ts';
import { evaluate } from '../evaluate.ts';
import { peerUrl } from '../message.ts';
import type { DiscoveredPeer, DiscoveredPeers, Discovery, PeerReading } from './discovery.ts';
import { choosePeers, stalePeersUsable, stalePeersWarning, type LastPeers, type RoundPeers } from './outage.ts';
import { dropLocal, hostsFileAddresses, localAddresses, lookupPeers, resolveBudgetMs, resolvePeers, resolverTrouble } from './resolve.ts';

const HOSTS_FILE = '/etc/hosts';

/** The originals' reading (§6): `.status.summary` of `GET /`, curl's lines, nothing for an unchanged peer. */
const SUMMARY_READING: PeerReading = { evaluate, curlLines: true, noChangeLines: false };

/** A peer as the originals name it: by its URL, everywhere. */
function urlPeer(url: string): DiscoveredPeer {
  return { url, requestUrl: url, label: url, stateKey: url };
}

type Config = Pick<WatcherConfig, 'peersDns' | 'peersScheme' | 'peersPort' | 'self' | 'timeoutMs' | 'pollingIntervalText'>;

export class ARecordDiscovery implements Discovery {
  readonly reading = SUMMARY_READING;
  private warnedNoGetent = false;
  /** D43: the peers of the last round the resolver answered, polled again while it does not. */
  private lastPeers: LastPeers | undefined;

  constructor(private readonly config: Config) {}

  roundLine(): string {
    return `polling peers via ${white(this.config.peersDns)} every ${white(this.config.pollingIntervalText)}s`;
  }

  async peers(): Promise<DiscoveredPeers> {
    const { config } = this;
    const warnings: string[] = [];
    const nowMs = Date.now();
    const round = await this.resolve(nowMs, warnings);
    const choice = choosePeers(this.lastPeers, round, nowMs);
    this.lastPeers = choice.last;
    if (!round.answered && choice.staleMs !== undefined) {
      warnings.push(stalePeersWarning(config.peersDns, round.reason, choice.peers.length, choice.staleMs));
    } else if (!round.answered && round.hostsFileOnly) {
      warnings.push(`cannot resolve peers: ${round.reason}; using ${white(HOSTS_FILE)} only`);
    }
    if (choice.peers.length === 0) {
      warnings.push(`no peers resolved from ${white(config.peersDns)} (all IPs are local or DNS returned nothing)`);
    }
    return { peers: choice.peers.map((address) => urlPeer(peerUrl(config.peersScheme, address, config.peersPort))), warnings };
  }

  /**
   * This round's peers, local addresses dropped, and whether the resolver answered (D43):
   * getent, or Node's resolver without getent, or the hosts file alone when getent did not
   * answer in time (D21: `hostsFileOnly`, getent killed or not startable).
   */
  private async resolve(nowMs: number, warnings: string[]): Promise<RoundPeers & { hostsFileOnly?: true }> {
    const { config } = this;
    const name = config.peersDns;
    const peers = (addresses: readonly string[]) => dropLocal(addresses, localAddresses(config.self));
    const budget = resolveBudgetMs(config.timeoutMs);
    const resolution = await resolvePeers(name, budget);
    if (resolution.missing) {
      if (!this.warnedNoGetent) warnings.push(`cannot run getent (${resolution.problem}): resolving peers with Node's resolver`);
      this.warnedNoGetent = true;
      const lookup = await lookupPeers(name, budget);
      if (lookup.problem !== undefined) return { answered: false, reason: lookup.problem, hostsFile: [] };
      return { answered: true, peers: peers(lookup.addresses) };
    }
    if (resolution.problem !== undefined) {
      // D21: a resolver that hangs must not stall the round; the hosts file still counts.
      return {
        answered: false,
        reason: resolution.problem,
        hostsFile: peers(hostsFileAddresses(name, readText(HOSTS_FILE))),
        hostsFileOnly: true,
      };
    }
    if (resolution.addresses.length === 0 && stalePeersUsable(this.lastPeers, nowMs)) {
      // D43: getent exits 2 whether the name has no addresses or the resolver failed; asked
      // only when it matters (peers held), so the originals' path costs no extra query.
      const reason = await resolverTrouble(name, budget);
      if (reason !== undefined) return { answered: false, reason, hostsFile: [] };
    }
    return { answered: true, peers: peers(resolution.addresses) };
  }
}

function readText(file: string): string {
  try {
    return decode(fs.readFileSync(encode(file)));
  } catch {
    return '';
  }
}
