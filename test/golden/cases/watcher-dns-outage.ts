// D43: peers resolved in round 1, then the resolver stops answering in round 2 (SERVFAIL, or
// no answer within the sandbox's 1 s x 1 attempt) while the peer turns down. The originals
// poll nobody (§6.4-5); the port polls the peer resolved in round 1 and alerts. A name that
// lost its addresses (NXDOMAIN, an empty answer) is an answer: both sides poll nobody.
import type { GoldenCase } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
const RESOLVED = { records: { [NAME]: { A: ['127.0.0.2'] } } };
const UP: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([{ url: 'http://svc.test/health', code: '200', ok: true }]) };
const DOWN: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([{ url: 'http://svc.test/health', code: '500', ok: false }]) };
/** Up in round 1, down in round 2. */
const PEERS = [{ host: '127.0.0.2', answers: [UP, DOWN] }];

export const cases: GoldenCase[] = [
  {
    id: 'watcher-dns-outage-servfail',
    program: 'watcher',
    title: 'D43 DNS answers SERVFAIL in round 2: legacy polls nobody (warn); port polls the peer resolved 1s before, warns, sends its FAIL',
    env: WATCHER_ENV,
    dnsRounds: [RESOLVED, { mode: 'servfail' }],
    peers: PEERS,
    rounds: 2,
    divergences: ['D43'],
  },
  {
    id: 'watcher-dns-outage-timeout',
    program: 'watcher',
    title:
      'D43 DNS never answers in round 2 (getent gives up after ~2 s, within TIMEOUT + 1 s): legacy polls nobody; port polls the peer resolved before, sends its FAIL',
    env: { ...WATCHER_ENV, TIMEOUT: '3' },
    dnsRounds: [RESOLVED, { mode: 'timeout' }],
    peers: PEERS,
    rounds: 2,
    divergences: ['D43'],
  },
  {
    id: 'watcher-dns-outage-nxdomain',
    program: 'watcher',
    title:
      '§6.4-5 D43 the name is gone in round 2 (NXDOMAIN): an answer, so both sides poll nobody (warn), the peer resolved before is not polled',
    env: WATCHER_ENV,
    dnsRounds: [RESOLVED, { records: {} }],
    peers: PEERS,
    rounds: 2,
  },
  {
    id: 'watcher-dns-outage-empty-answer',
    program: 'watcher',
    title: '§6.4-5 D43 the name has no address in round 2 (NOERROR, no answer): an answer, so both sides poll nobody (warn)',
    env: WATCHER_ENV,
    dnsRounds: [RESOLVED, { records: { [NAME]: {} } }],
    peers: PEERS,
    rounds: 2,
  },
];
