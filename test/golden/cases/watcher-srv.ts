// The SRV version of the watcher (docs/behaviour.md §12): the legacy side runs `watcher-srv`
// (upstream's later script, rebuilt in legacy/watcher-srv.sh), the port its `watcher` with
// PEERS_SRV set. Peers answer `/status` bodies (`{"checks":[...],"summary":{...}}`); the fake
// peers answer every path alike, so peerRequests pins the path the watcher asked for.
// Divergences: D44 (the summary of the /status body is read), D45 (IPv6 bracketed), D46
// (alerts Telegram did not accept are kept), D47 (a resolver failure says the resolver's
// reason), D9 (a 200 that is not a status is down).
import type { GoldenCase, PeerSpec } from '../types.ts';
import { THREE_CHECK_LINES } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';
import type { DnsRecords } from '../../../scripts/lib/dns.ts';

const NAME = '_sentinella._tcp.sentinella.test';

/** The usual watcher environment with PEERS_SRV for PEERS_DNS; override per case. */
const { PEERS_DNS: _dns, ...NO_DNS_ENV } = WATCHER_ENV;
const SRV_ENV = { PEERS_SRV: NAME, ...NO_DNS_ENV } as const;
const { SELF: _self, ...NO_SELF_ENV } = SRV_ENV;

const HEALTHY: ScriptedPeerReply = { kind: 'json', body: statusBody([]) };
const FAILING: ScriptedPeerReply = {
  kind: 'json',
  body: statusBody(THREE_CHECK_LINES),
};
const peer = (host: string, port: number, ...answers: ScriptedPeerReply[]): PeerSpec => ({ host, port, answers });

/** SRV records `priority weight port target`, in answer order. */
const srv = (...records: [number, number, number, string][]) =>
  records.map(([priority, weight, port, target]) => ({ priority, weight, port, target }));

/** Three nodes: n1 and n2 on their own ports, n3 on the same address as n1. */
const THREE: DnsRecords = {
  [NAME]: { SRV: srv([10, 5, 5988, 'n1.sentinella.test'], [20, 0, 6001, 'n2.sentinella.test'], [0, 0, 6002, 'n3.sentinella.test']) },
  'n1.sentinella.test': { A: ['127.0.0.2'] },
  'n2.sentinella.test': { A: ['127.0.0.3'] },
  'n3.sentinella.test': { A: ['127.0.0.2'] },
};
const THREE_PEERS = [peer('127.0.0.2', 5988, HEALTHY), peer('127.0.0.3', 6001, HEALTHY), peer('127.0.0.2', 6002, HEALTHY)];

/** One node, n1 on 127.0.0.2:5988. */
const ONE: DnsRecords = {
  [NAME]: { SRV: srv([10, 5, 5988, 'n1.sentinella.test']) },
  'n1.sentinella.test': { A: ['127.0.0.2'] },
};

export const cases: GoldenCase[] = [
  {
    id: 'watcher-srv-several-ports',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      '§12 every record in the answer order (priority and weight ignored), each on its own port, GET /status, `TARGET (IP)` messages, state files by cksum of TARGET; round 2: `no change:` lines',
    env: SRV_ENV,
    dns: { records: THREE },
    peers: THREE_PEERS,
    rounds: 2,
  },
  {
    id: 'watcher-srv-peers-dns-ignored',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 PEERS_DNS and PEERS_PORT set as well: ignored (the port: PEERS_SRV wins), the SRV records are polled',
    env: { ...SRV_ENV, PEERS_DNS: 'peers.sentinella.test', PEERS_PORT: '7000' },
    dns: { records: { ...ONE, 'peers.sentinella.test': { A: ['127.0.0.3'] } } },
    peers: [peer('127.0.0.2', 5988, HEALTHY), peer('127.0.0.3', 7000, HEALTHY)],
  },
  {
    id: 'watcher-srv-target-unresolved',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      '§12 a target without an address (NXDOMAIN), one without an A record, and the root target `.`: warn `could not resolve TARGET` each, the others polled; a hosts-file target resolves',
    env: SRV_ENV,
    hosts: ['127.0.0.4 n4.sentinella.test'],
    dns: {
      records: {
        [NAME]: {
          SRV: srv(
            [10, 5, 5988, 'gone.sentinella.test'],
            [10, 5, 5988, 'n1.sentinella.test'],
            [10, 5, 5988, 'mx-only.sentinella.test'],
            [0, 0, 6003, ''],
            [10, 5, 5988, 'n4.sentinella.test'],
          ),
        },
        'n1.sentinella.test': { A: ['127.0.0.2'] },
        'mx-only.sentinella.test': {},
      },
    },
    peers: [peer('127.0.0.2', 5988, HEALTHY), peer('127.0.0.4', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-target-local-ip',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      '§12 no SELF: every address `ip -o addr show` lists is local, loopback included (127.0.0.1, ::1) and the veth ones; those targets are skipped silently',
    env: NO_SELF_ENV,
    addresses: ['10.9.0.1/24', 'fd00:9::1/64'],
    dns: {
      records: {
        [NAME]: {
          SRV: srv(
            [10, 5, 5988, 'lo4.sentinella.test'],
            [10, 5, 5988, 'lo6.sentinella.test'],
            [10, 5, 5988, 'veth4.sentinella.test'],
            [10, 5, 5988, 'veth6.sentinella.test'],
            [10, 5, 5988, 'n2.sentinella.test'],
          ),
        },
        'lo4.sentinella.test': { A: ['127.0.0.1'] },
        'lo6.sentinella.test': { AAAA: ['::1'] },
        'veth4.sentinella.test': { A: ['10.9.0.1'] },
        'veth6.sentinella.test': { AAAA: ['fd00:9::1'] },
        'n2.sentinella.test': { A: ['127.0.0.2'] },
      },
    },
    peers: [peer('127.0.0.1', 5988, HEALTHY), peer('::1', 5988, HEALTHY), peer('127.0.0.2', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-target-self',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 SELF set: its words are the local addresses (127.0.0.1 is then polled); a target on a SELF address is skipped',
    env: { ...SRV_ENV, SELF: '127.0.0.3 127.0.0.4' },
    dns: {
      records: {
        [NAME]: { SRV: srv([10, 5, 5988, 'n1.sentinella.test'], [10, 5, 5988, 'n3.sentinella.test'], [10, 5, 5988, 'lo.sentinella.test']) },
        'n1.sentinella.test': { A: ['127.0.0.2'] },
        'n3.sentinella.test': { A: ['127.0.0.3'] },
        'lo.sentinella.test': { A: ['127.0.0.1'] },
      },
    },
    peers: [peer('127.0.0.2', 5988, HEALTHY), peer('127.0.0.3', 5988, HEALTHY), peer('127.0.0.1', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-all-local',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 every target is this node: warn `no peers resolved from NAME (all targets local or DNS empty)`, no request',
    env: { ...SRV_ENV, SELF: '127.0.0.2' },
    dns: { records: ONE },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-empty-answer',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 the name has no SRV record (NOERROR, no answer): warn `no SRV records parsed; raw output: ` (empty), then no peers',
    env: SRV_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.2'] } } },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-nxdomain',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 NXDOMAIN: dig prints nothing and succeeds, so the same two warn lines as an empty answer',
    env: SRV_ENV,
    dns: { records: {} },
  },
  {
    id: 'watcher-srv-servfail',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 the DNS server answers SERVFAIL: dig prints nothing and succeeds: `no SRV records parsed`, no peers, two rounds',
    env: SRV_ENV,
    dns: { records: ONE, mode: 'servfail' },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    rounds: 2,
  },
  {
    id: 'watcher-srv-dns-timeout',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      "D47 the DNS server never answers: legacy `dig SRV NAME failed: ` + dig's three lines (after 3 s × 2 tries); port the resolver's reason after TIMEOUT + 1 s",
    env: SRV_ENV,
    dns: { records: ONE, mode: 'timeout' },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    divergences: ['D47'],
  },
  {
    id: 'watcher-srv-dns-recovers',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 DNS is asked every round: SERVFAIL in round 1, the records in round 2 (polled), NXDOMAIN in round 3',
    env: SRV_ENV,
    dnsRounds: [{ records: ONE, mode: 'servfail' }, { records: ONE }, { records: {} }],
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    rounds: 3,
  },
  {
    id: 'watcher-srv-ipv6-target',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      'D45 a target with an AAAA record: getent gives its IPv6 address first; legacy URL http://::1:5988/status fails (000, silent), port polls http://[::1]:5988/status',
    env: SRV_ENV,
    dns: {
      records: {
        [NAME]: { SRV: srv([10, 5, 5988, 'v6.sentinella.test'], [10, 5, 5988, 'n1.sentinella.test']) },
        'v6.sentinella.test': { A: ['127.0.0.3'], AAAA: ['::1'] },
        'n1.sentinella.test': { A: ['127.0.0.2'] },
      },
    },
    peers: [peer('::1', 5988, HEALTHY), peer('127.0.0.3', 5988, HEALTHY), peer('127.0.0.2', 5988, HEALTHY)],
    divergences: ['D45'],
  },
  {
    id: 'watcher-srv-failing-checks',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      'D44 a peer whose checks fail: legacy reads `.status.summary` of a /status body (null null: `OK  : ... [0/0]`); port reads its `summary`: `FAIL: ... [1/3] — ` every failing check (D4)',
    env: SRV_ENV,
    dns: { records: THREE },
    peers: [peer('127.0.0.2', 5988, FAILING), peer('127.0.0.3', 6001, HEALTHY), peer('127.0.0.2', 6002, HEALTHY)],
    divergences: ['D44', 'D4'],
  },
  {
    id: 'watcher-srv-checks-recover',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: 'D44 checks fail in round 1 and pass in round 2: legacy `OK  : [0/0]` then `no change:`; port FAIL [1/3], then OK [2/2]',
    env: SRV_ENV,
    dns: { records: ONE },
    peers: [
      peer('127.0.0.2', 5988, FAILING, {
        kind: 'json',
        body: statusBody([
          { url: 'http://a/', code: '200', ok: true },
          { url: 'http://b/', code: '204', ok: true },
        ]),
      }),
    ],
    rounds: 2,
    divergences: ['D44', 'D4'],
  },
  {
    id: 'watcher-srv-not-status',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      'D9 a 200 whose body is not JSON, and a summary that is not numbers: legacy 0/0 up for both; port: not JSON is down (`invalid status body`), counts that are not digits stay 0 (§12)',
    env: SRV_ENV,
    dns: { records: THREE },
    peers: [
      peer('127.0.0.2', 5988, { kind: 'http', status: '200 OK', body: 'hello\n' }),
      peer('127.0.0.3', 6001, { kind: 'json', body: '{"checks":[],"summary":{"total":"x","ok":-1}}' }),
      peer('127.0.0.2', 6002, { kind: 'json', body: '{"checks":[],"summary":{"total":"02","ok":2}}' }),
    ],
    divergences: ['D9', 'D44'],
  },
  {
    id: 'watcher-srv-peer-down',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      '§12 nothing listening (000), a 401 and a 500 with a status body: FAIL, curl\'s stderr discarded (no curl line), failures only from a down body\'s `"ok":false` lines',
    env: SRV_ENV,
    dns: { records: THREE },
    peers: [
      peer('127.0.0.3', 6001, { kind: 'unauthorized' }),
      peer('127.0.0.2', 6002, { kind: 'json', status: 500, body: statusBody([{ url: 'http://b/', code: '404', ok: false }]) }),
    ],
    divergences: ['D4'],
  },
  {
    id: 'watcher-srv-token',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: "§12 PEERS_TOKEN holding a quote is sent as it is (its own argument, no sh -c): `Authorization: Basic it's`",
    env: { ...SRV_ENV, PEERS_TOKEN: "it's" },
    dns: { records: ONE },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
  },
  {
    id: 'watcher-srv-no-change',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 unchanged rounds: info `no change: <white>MESSAGE<reset>` per peer, no notification; a change in round 3 (401) is notified',
    env: SRV_ENV,
    dns: { records: THREE },
    peers: [
      peer('127.0.0.2', 5988, HEALTHY, HEALTHY, { kind: 'unauthorized' }),
      peer('127.0.0.3', 6001, HEALTHY),
      peer('127.0.0.2', 6002, HEALTHY),
    ],
    rounds: 3,
  },
  {
    id: 'watcher-srv-address-moves',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: "§12 a target's address and port change between rounds: same state file (cksum of TARGET), so `no change:` with the new label",
    env: SRV_ENV,
    dnsRounds: [
      { records: ONE },
      { records: { [NAME]: { SRV: srv([10, 5, 6001, 'n1.sentinella.test']) }, 'n1.sentinella.test': { A: ['127.0.0.3'] } } },
    ],
    peers: [peer('127.0.0.2', 5988, HEALTHY), peer('127.0.0.3', 6001, HEALTHY)],
    rounds: 2,
  },
  {
    id: 'watcher-srv-spam',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: '§12 SPAM=1: every peer notified every round, no `no change:` line',
    env: { ...SRV_ENV, SPAM: '1' },
    dns: { records: ONE },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    rounds: 2,
  },
  {
    id: 'watcher-srv-telegram-500',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title:
      'D46 Telegram answers 500: legacy writes the state anyway (round 2: `no change:`); port keeps it and sends the alert again in round 2 (D5)',
    env: SRV_ENV,
    dns: { records: ONE },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    telegram: { answers: [{ kind: 'error', status: 500, description: 'Internal Server Error' }] },
    rounds: 2,
    divergences: ['D46'],
  },
  {
    id: 'watcher-srv-telegram-refused',
    program: 'watcher',
    legacyProgram: 'watcher-srv',
    title: "D46 Telegram refuses connections: curl's (7) line and `notify failed:` on both sides; legacy writes the state, port keeps it",
    env: SRV_ENV,
    dns: { records: ONE },
    peers: [peer('127.0.0.2', 5988, HEALTHY)],
    telegram: { listen: false },
    rounds: 2,
    divergences: ['D46'],
  },
];
