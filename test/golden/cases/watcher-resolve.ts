// Watcher peer resolution (docs/behaviour.md §6.4-5): getent order, SELF and `hostname -I`, AAAA (D7),
// /etc/hosts, DNS failures, DNS changing between rounds.
import type { GoldenCase, PeerSpec } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
const NO_URLS: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([]) };
const healthy = (host: string): PeerSpec => ({ host, answers: [NO_URLS] });
/** WATCHER_ENV without SELF: local addresses come from `hostname -I` (port: the interfaces). */
const { SELF: _self, ...NO_SELF_ENV } = WATCHER_ENV;

export const cases: GoldenCase[] = [
  // §6.4 one DNS answer of A records, fake probes on some of them: [id, title, env over WATCHER_ENV, A records, probes]
  ...(
    [
      [
        'watcher-resolve-getent-order',
        '§6.4 peers in the order getent prints them (DNS answer order), polled one after another',
        {},
        ['127.0.0.4', '127.0.0.2', '127.0.0.3'],
        ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      ],
      [
        'watcher-resolve-self-several',
        '§6.4 SELF with several words: each is dropped, the rest is polled',
        { SELF: '127.0.0.2 127.0.0.3' },
        ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
        ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      ],
      [
        'watcher-resolve-self-exact-word',
        '§6.4 a SELF match is an exact word match: SELF=127.0.0.2 does not drop 127.0.0.22',
        { SELF: '127.0.0.2' },
        ['127.0.0.2', '127.0.0.22'],
        ['127.0.0.2', '127.0.0.22'],
      ],
      [
        'watcher-resolve-all-local',
        '§6.5 every address is local: the warn line, no request, no state file',
        { SELF: '127.0.0.1 127.0.0.2' },
        ['127.0.0.1', '127.0.0.2'],
        ['127.0.0.2'],
      ],
      [
        'watcher-resolve-duplicate-addresses',
        '§6.4 the same address twice in DNS: polled as getent prints it (once per printed line)',
        {},
        ['127.0.0.2', '127.0.0.3', '127.0.0.2'],
        ['127.0.0.2', '127.0.0.3'],
      ],
      [
        'watcher-resolve-self-whitespace',
        '§6.4 §10 SELF words are separated by spaces only: with tabs and a newline inside, no address is local, all four are polled (127.0.0.1 refused)',
        { SELF: ' 127.0.0.2\t\t127.0.0.3\n127.0.0.1  ' },
        ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'],
        ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      ],
    ] as const satisfies readonly (readonly [string, string, { SELF?: string }, readonly string[], readonly string[]])[]
  ).map(([id, title, env, A, probes]): GoldenCase => ({
    id,
    program: 'watcher',
    title,
    env: { ...WATCHER_ENV, ...env },
    dns: { records: { [NAME]: { A: [...A] } } },
    peers: probes.map(healthy),
  })),
  {
    id: 'watcher-resolve-no-self-host-addresses',
    program: 'watcher',
    title: "§6.4 no SELF: the host's non-loopback addresses (hostname -I) are dropped; loopback peers are kept",
    env: NO_SELF_ENV,
    addresses: ['10.9.0.2/24'],
    dns: { records: { [NAME]: { A: ['10.9.0.2', '127.0.0.2'] } } },
    peers: [healthy('127.0.0.2'), healthy('10.9.0.2')],
  },
  {
    id: 'watcher-resolve-no-self-no-addresses',
    program: 'watcher',
    title: '§6.4 no SELF and only lo: nothing is local, 127.0.0.1 itself is polled',
    env: NO_SELF_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.1'] } } },
    peers: [healthy('127.0.0.1')],
  },
  {
    id: 'watcher-resolve-aaaa',
    program: 'watcher',
    title:
      'D7 a name with A and AAAA yields only the IPv6 address; legacy URL http://::1:5988 fails (curl 3), port polls http://[::1]:5988',
    env: WATCHER_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.2'], AAAA: ['::1'] } } },
    peers: [healthy('127.0.0.2'), healthy('::1')],
    divergences: ['D7'],
  },
  {
    id: 'watcher-resolve-aaaa-local-dropped',
    program: 'watcher',
    title: 'D7 §6.4 no SELF: an own IPv6 address (hostname -I) is dropped, the other IPv6 peer is kept',
    env: NO_SELF_ENV,
    addresses: ['10.9.0.2/24', 'fd00:9::2/64'],
    dns: { records: { [NAME]: { A: ['10.9.0.2', '127.0.0.2'], AAAA: ['fd00:9::2', '::1'] } } },
    peers: [healthy('127.0.0.2'), healthy('::1')],
    divergences: ['D7'],
  },
  {
    id: 'watcher-resolve-hosts-file',
    program: 'watcher',
    title: '§6.4 NSS: /etc/hosts lines win over DNS (files, then dns); every matching hosts line is a peer',
    env: { ...WATCHER_ENV, PEERS_DNS: 'peers.hosts.test' },
    hosts: ['127.0.0.2 peers.hosts.test', '127.0.0.3 peers.hosts.test other.test'],
    dns: { records: { 'peers.hosts.test': { A: ['127.0.0.4'] } } },
    peers: [healthy('127.0.0.2'), healthy('127.0.0.3'), healthy('127.0.0.4')],
  },
  {
    id: 'watcher-resolve-servfail',
    program: 'watcher',
    title: '§6.4-5 DNS answers SERVFAIL: resolution failure is an empty list, the warn line, two rounds',
    env: WATCHER_ENV,
    dns: { mode: 'servfail' },
    rounds: 2,
  },
  {
    id: 'watcher-resolve-dns-timeout',
    program: 'watcher',
    title: '§6.4-5 DNS never answers (resolver timeout 1 s per query in the sandbox, ~2 s in all): the warn line',
    // TIMEOUT=3: the port bounds getent at TIMEOUT + 1 s (D21); 4 s leaves getent's ~2 s a wide margin.
    env: { ...WATCHER_ENV, TIMEOUT: '3' },
    dns: { mode: 'timeout' },
  },
  {
    id: 'watcher-resolve-dns-changes',
    program: 'watcher',
    title: '§6.4 DNS re-read every round: one peer, then two, then NXDOMAIN (warn), then one again (state unchanged, silent)',
    env: WATCHER_ENV,
    dnsRounds: [
      { records: { [NAME]: { A: ['127.0.0.2'] } } },
      { records: { [NAME]: { A: ['127.0.0.2', '127.0.0.3'] } } },
      { records: {} },
      { records: { [NAME]: { A: ['127.0.0.3'] } } },
    ],
    peers: [healthy('127.0.0.2'), healthy('127.0.0.3')],
    rounds: 4,
  },
  {
    id: 'watcher-resolve-self-ipv6',
    program: 'watcher',
    title: '§6.4 D7 SELF holds an IPv6 address: it is compared with the bare address (before any bracketing), so ::1 is dropped',
    env: { ...WATCHER_ENV, SELF: '127.0.0.1 ::1' },
    dns: { records: { [NAME]: { A: ['127.0.0.2'], AAAA: ['::1'] } } },
    peers: [healthy('127.0.0.2'), healthy('::1')],
  },
  {
    id: 'watcher-resolve-ip-literal',
    program: 'watcher',
    title: '§6.4 PEERS_DNS is an address: `getent hosts <address>` is a reverse lookup, no name for it, prints nothing: no peers (warn)',
    env: { ...WATCHER_ENV, PEERS_DNS: '127.0.0.2' },
    peers: [healthy('127.0.0.2')],
  },
  {
    id: 'watcher-resolve-ip-literal-named',
    program: 'watcher',
    title: '§6.4 PEERS_DNS is an address with a name in /etc/hosts: the reverse lookup prints it, it is polled',
    env: { ...WATCHER_ENV, PEERS_DNS: '127.0.0.2' },
    hosts: ['127.0.0.2 peer-two.test'],
    peers: [healthy('127.0.0.2')],
  },
];
