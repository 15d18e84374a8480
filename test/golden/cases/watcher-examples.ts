// Watcher cases (docs/behaviour.md §6): examples of the three shapes; more live in watcher*.ts files.
//
// How a watcher case runs: the sandbox resolves PEERS_DNS through /etc/hosts (`hosts`) and
// dns2 (`dns.records`); peers are fake probes (`peers`, see scripts/lib/peers.ts); Telegram is
// the fake on 127.0.0.1:443 (`telegram.answers`); the runner stops the watcher when the
// (rounds+1)-th `polling peers via` line appears (default rounds: 1) and collects stderr up to
// that line, STATE_DIR's files, the Telegram requests and the peer requests.
import type { GoldenCase } from '../types.ts';
import { SANDBOX } from './_helpers.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

/** The usual watcher environment; override per case. */
export const WATCHER_ENV = {
  PEERS_DNS: 'peers.sentinella.test',
  TG_TOKEN: '123:abc',
  TG_CHAT_ID: '-100',
  SELF: '127.0.0.1',
  TIMEOUT: '2',
  POLLING_INTERVAL_SEC: '1',
  STATE_DIR: SANDBOX.state,
} as const;

export const cases: GoldenCase[] = [
  {
    id: 'watcher-no-peers',
    program: 'watcher',
    title: '§6.5 the name resolves to nothing: the warn line, no request, empty state dir',
    env: WATCHER_ENV,
    rounds: 1,
  },
  {
    id: 'watcher-one-healthy-peer',
    program: 'watcher',
    title: '§6 one peer with no URLS: OK  : [0/0], notified once, state up:0/0:200 (§6 example)',
    env: WATCHER_ENV,
    dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.2'] } } },
    peers: [{ host: '127.0.0.2', answers: [{ kind: 'json', body: statusSummaryBody([]) }] }],
    rounds: 2,
  },
  {
    id: 'watcher-missing-peers-dns',
    program: 'watcher',
    title: '§6.2 PEERS_DNS unset: `PEERS_DNS not set`, exit 3',
    env: { TG_TOKEN: '123:abc', TG_CHAT_ID: '-100', STATE_DIR: SANDBOX.state },
  },
];
