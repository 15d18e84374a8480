// Peer discovery of the SRV version (docs/behaviour.md §12), used when PEERS_SRV is set: the
// SRV records of PEERS_SRV, every one in the resolver's order (priority and weight ignored),
// each target's first address as `getent hosts TARGET` prints it, local addresses skipped.
// A peer is polled at `<scheme>://<address>:<record's port>/status`, named `TARGET (IP)` in
// messages, and its state file is named by the cksum of TARGET; its reply is read by the
// /status body's own summary (D44), curl's lines are not printed, and an unchanged peer gets
// `no change: <message>` (SRV_READING).
//
// The originals ask `dig +short +time=3 +tries=2 SRV NAME`; the port asks Node's resolver
// (c-ares: /etc/resolv.conf as dig reads it, no search list, the answer in the server's
// order) with dig's timeout and tries. dig prints nothing and succeeds for every answer the
// server gave, an error code included (NXDOMAIN, SERVFAIL, REFUSED...): those are an empty
// answer here too. dig fails only when no server answered; the port then says the resolver's
// reason (D47), and gives up after TIMEOUT + 1 s (as D21 bounds getent).
import { Resolver } from 'node:dns/promises';
import os from 'node:os';
import type { WatcherConfig } from '../../env.ts';
import { errnoCode } from '../../errno.ts';
import { white } from '../../log.ts';
import { evaluateStatusBody } from '../evaluate.ts';
import { peerUrl } from '../message.ts';
import type { DiscoveredPeer, DiscoveredPeers, Discovery, PeerReading } from './discovery.ts';
import { bounded, dropLocal, lookupPeers, resolveBudgetMs, resolvePeers } from './resolve.ts';

/** One SRV record as the resolver gives it (`name` is the target, without a trailing dot). */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** The records (possibly none), or why no server answered. */
export type SrvAnswer = { readonly records: readonly SrvRecord[] } | { readonly failed: string };

/** The SRV version's reading (§12): the /status body's own summary (D44), no curl lines, `no change:` lines. */
export const SRV_READING: PeerReading = { evaluate: evaluateStatusBody, curlLines: false, noChangeLines: true };

export interface SrvConfig {
  readonly peersSrv: string;
  readonly peersScheme: string;
  /** SELF's words; null: this host's addresses (interfaceAddresses). */
  readonly self: readonly string[] | null;
}

/** The world discoverSrv asks (srvIo() for the real one; tests give their own). */
export interface SrvIo {
  resolveSrv(name: string): Promise<SrvAnswer>;
  /** The first address `getent hosts TARGET` prints, if any. */
  firstAddress(target: string): Promise<string | undefined>;
  /** This host's addresses (used when SELF is unset). */
  localAddresses(): readonly string[];
}

// ---- the texts (pure)

/** The round's first line (info). */
export function srvRoundLine(name: string, intervalText: string): string {
  return `polling peers via SRV ${white(name)} every ${white(intervalText)}s`;
}

export function srvFailedWarning(name: string, reason: string): string {
  return `dig SRV ${white(name)} failed: ${reason}`;
}

/** No record in the answer. The originals add dig's output, which is empty for every answer. */
export const NO_RECORDS_WARNING = 'no SRV records parsed; raw output: ';

export function unresolvedWarning(target: string): string {
  return `could not resolve ${white(target)}`;
}

export function noSrvPeersWarning(name: string): string {
  return `no peers resolved from ${white(name)} (all targets local or DNS empty)`;
}

/** `TARGET (IP)` */
export function srvLabel(target: string, address: string): string {
  return `${target} (${address})`;
}

/** The target as the originals read it from dig's line: one trailing dot removed. */
export function srvTarget(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * What resolveSrv's failure means. dig answers every DNS reply, whatever its code, with an
 * empty output and status 0: such codes are an empty answer. The rest (no server answered, a
 * reply that is not DNS, a bad name) is dig's failure: the resolver's reason (D47).
 */
export function srvAnswerOfError(code: string | undefined): SrvAnswer {
  if (code !== undefined && DNS_REPLY_CODES.has(code)) return { records: [] };
  return { failed: RESOLVER_REASONS[code ?? ''] ?? `resolver error ${code ?? 'without a code'}` };
}

/** c-ares codes for a reply the server gave: NODATA, NXDOMAIN, SERVFAIL, REFUSED, NOTIMP, FORMERR. */
const DNS_REPLY_CODES: ReadonlySet<string> = new Set(['ENODATA', 'ENOTFOUND', 'ESERVFAIL', 'EREFUSED', 'ENOTIMP', 'EFORMERR']);

const RESOLVER_REASONS: Readonly<Record<string, string>> = {
  ETIMEOUT: 'no DNS server answered (ETIMEOUT)',
  ECONNREFUSED: 'no DNS server could be reached (ECONNREFUSED)',
  EBADRESP: 'the DNS reply could not be read (EBADRESP)',
  EBADNAME: 'not a valid DNS name (EBADNAME)',
  EFILE: 'cannot read /etc/resolv.conf (EFILE)',
};

/** This host's addresses as `ip -o addr show` lists them: IPv4 and IPv6, loopback included. */
export function interfaceAddresses(): string[] {
  // libuv lists the interfaces that are up and running; `ip` also lists the addresses of an
  // interface without carrier (D22).
  return Object.values(os.networkInterfaces()).flatMap((infos) => (infos ?? []).map((info) => info.address));
}

// ---- discovery

/**
 * This round's peers: each one's `url` is `<scheme>://<address>:<port>` (IPv6 bracketed, D45),
 * its `requestUrl` that URL's `/status`, its `label` `TARGET (IP)`, its `stateKey` TARGET (the
 * state survives an address change). The warn lines come in the originals' order, the `no
 * peers` line last.
 */
export async function discoverSrv(config: SrvConfig, io: SrvIo): Promise<DiscoveredPeers> {
  const name = config.peersSrv;
  const answer = await io.resolveSrv(name);
  const warnings: string[] = [];
  const peers: DiscoveredPeer[] = [];
  if ('failed' in answer) warnings.push(srvFailedWarning(name, answer.failed));
  else if (answer.records.length === 0) warnings.push(NO_RECORDS_WARNING);
  else {
    const targets = answer.records.map((r) => srvTarget(r.name));
    // Asked all at once, reported in the records' order (the originals ask one after another).
    const addresses = await Promise.all(targets.map((target) => io.firstAddress(target)));
    const locals = config.self ?? io.localAddresses();
    answer.records.forEach((record, i) => {
      const target = targets[i] as string;
      const address = addresses[i];
      if (address === undefined) warnings.push(unresolvedWarning(target));
      else if (dropLocal([address], locals).length > 0) {
        const url = peerUrl(config.peersScheme, address, String(record.port));
        peers.push({ url, requestUrl: `${url}/status`, label: srvLabel(target, address), stateKey: target });
      }
    });
  }
  if (peers.length === 0) warnings.push(noSrvPeersWarning(name));
  return { peers, warnings };
}

/** The Discovery of PEERS_SRV (discovery.ts's seam). */
export class SrvDiscovery implements Discovery {
  readonly reading = SRV_READING;
  private readonly io: SrvIo;

  constructor(
    private readonly config: SrvConfig & Pick<WatcherConfig, 'timeoutMs' | 'pollingIntervalText'>,
    io?: SrvIo,
  ) {
    this.io = io ?? srvIo(resolveBudgetMs(config.timeoutMs));
  }

  roundLine(): string {
    return srvRoundLine(this.config.peersSrv, this.config.pollingIntervalText);
  }

  peers(): Promise<DiscoveredPeers> {
    return discoverSrv(this.config, this.io);
  }
}

// ---- the real world

/** dig's `+time=3 +tries=2`. */
const DIG_TIMEOUT_MS = 3000;
const DIG_TRIES = 2;

/**
 * The resolver and getent, each bounded by budgetMs (TIMEOUT + 1 s, 0: no bound; D21). A
 * resolver created per round reads /etc/resolv.conf again, as dig does.
 */
export function srvIo(budgetMs: number): SrvIo {
  return {
    async resolveSrv(name) {
      const resolver = new Resolver({ timeout: DIG_TIMEOUT_MS, tries: DIG_TRIES });
      const asked = resolver.resolveSrv(name).then(
        (records): SrvAnswer => ({ records }),
        (err: unknown) => srvAnswerOfError(errnoCode(err)),
      );
      const answer = await bounded(asked, budgetMs);
      if (answer !== undefined) return answer;
      resolver.cancel();
      return { failed: `no answer within ${budgetMs / 1000}s` };
    },
    async firstAddress(target) {
      const resolution = await resolvePeers(target, budgetMs);
      // Without getent (D21): Node's resolver, IPv6 first like getent.
      const addresses = resolution.missing ? (await lookupPeers(target, budgetMs)).addresses : resolution.addresses;
      return addresses[0];
    },
    localAddresses: interfaceAddresses,
  };
}
