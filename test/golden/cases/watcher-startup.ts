// Watcher start-up (docs/behaviour.md §6.1-2): the STATE_DIR fallback, the three required variables in
// their order, exit 3, empty = unset; PEERS_PORT / PEERS_SCHEME; non-numeric numbers (D14).
import type { GoldenCase } from '../types.ts';
import { SANDBOX } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

/** A regular file: any STATE_DIR below it cannot be created (mkdir -p fails: Not a directory). */
const BLOCKER = `${SANDBOX.work}/blocker`;
const HEALTHY = [{ kind: 'json', body: statusSummaryBody([]) }] as const;
const ONE_PEER = {
  dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.2'] } } },
  peers: [{ host: '127.0.0.2', answers: HEALTHY }],
} as const;

export const cases: GoldenCase[] = [
  {
    id: 'watcher-startup-missing-tg-token',
    program: 'watcher',
    title: '§6.2 TG_TOKEN unset (PEERS_DNS set): `TG_TOKEN not set` without colour, exit 3, no round',
    env: { PEERS_DNS: 'peers.sentinella.test', TG_CHAT_ID: '-100', STATE_DIR: SANDBOX.state },
  },
  {
    id: 'watcher-startup-empty-chat-id',
    program: 'watcher',
    title: '§6 empty = unset: TG_CHAT_ID="" gives `TG_CHAT_ID not set`, exit 3',
    env: { PEERS_DNS: 'peers.sentinella.test', TG_TOKEN: '123:abc', TG_CHAT_ID: '', STATE_DIR: SANDBOX.state },
  },
  {
    id: 'watcher-startup-all-empty',
    program: 'watcher',
    title: '§6.2 order: all three required variables empty, PEERS_DNS is named first, exit 3',
    env: { PEERS_DNS: '', TG_TOKEN: '', TG_CHAT_ID: '', STATE_DIR: SANDBOX.state },
  },
  {
    id: 'watcher-startup-token-before-chat-id',
    program: 'watcher',
    title: '§6.2 order: TG_TOKEN and TG_CHAT_ID both missing, TG_TOKEN is named, exit 3',
    env: { PEERS_DNS: 'peers.sentinella.test', STATE_DIR: SANDBOX.state },
  },
  {
    id: 'watcher-startup-state-dir-fallback',
    program: 'watcher',
    title: '§6.1 STATE_DIR cannot be created: $HOME/.local/<basename> is used (silently) for the state files',
    env: { ...WATCHER_ENV, STATE_DIR: `${BLOCKER}/sentinella-state`, HOME: SANDBOX.home },
    files: [{ path: BLOCKER, content: 'not a directory\n' }],
    collect: [SANDBOX.home],
    ...ONE_PEER,
  },
  {
    id: 'watcher-startup-default-state-dir',
    program: 'watcher',
    title: '§6 STATE_DIR="" = unset: default /var/lib/sentinella, not creatable as nobody, so $HOME/.local/sentinella',
    env: { ...WATCHER_ENV, STATE_DIR: '', HOME: SANDBOX.home },
    files: [{ path: SANDBOX.home, dir: true, mode: 0o777 }],
    runAs: 'nobody',
    collect: [SANDBOX.home],
    ...ONE_PEER,
  },
  {
    id: 'watcher-startup-fallback-fails',
    program: 'watcher',
    title: "§6.1 the $HOME/.local fallback cannot be created either: mkdir's own error, non-zero exit",
    env: { ...WATCHER_ENV, STATE_DIR: `${BLOCKER}/state`, HOME: BLOCKER },
    files: [{ path: BLOCKER, content: 'not a directory\n' }],
  },
  {
    id: 'watcher-startup-fallback-home-unset',
    program: 'watcher',
    title: "§6.1 fallback needed with HOME unset: dash's nounset error `HOME: parameter not set`, exit 2",
    env: { ...WATCHER_ENV, STATE_DIR: `${BLOCKER}/state` },
    files: [{ path: BLOCKER, content: 'not a directory\n' }],
  },
  {
    id: 'watcher-startup-state-dir-before-variables',
    program: 'watcher',
    title: '§6.1-2 start-up order: the STATE_DIR fallback runs (HOME unset error) before the required variables are checked',
    env: { STATE_DIR: `${BLOCKER}/state`, TG_TOKEN: '123:abc' },
    files: [{ path: BLOCKER, content: 'not a directory\n' }],
  },
  {
    id: 'watcher-peers-port',
    program: 'watcher',
    title: '§6.4 PEERS_PORT: the peer URL is <scheme>://<address>:<PEERS_PORT>',
    env: { ...WATCHER_ENV, PEERS_PORT: '6001' },
    dns: ONE_PEER.dns,
    peers: [{ host: '127.0.0.2', port: 6001, answers: HEALTHY }],
  },
  {
    id: 'watcher-peers-scheme-https',
    program: 'watcher',
    title: '§6.4 PEERS_SCHEME=https: the peer URL is https://<address>:<port> (nothing listening: curl (7), code 000)',
    env: { ...WATCHER_ENV, PEERS_SCHEME: 'https' },
    dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.4'] } } },
  },
  {
    id: 'watcher-timeout-not-a-number',
    program: 'watcher',
    title:
      '§6 a D14 TIMEOUT=abc: legacy curl refuses `-m` (two lines) for the peer request and again for the notification; port names the variable at start-up',
    env: { ...WATCHER_ENV, TIMEOUT: 'abc' },
    ...ONE_PEER,
    divergences: ['D14'],
  },
  {
    id: 'watcher-timeout-curl-forms',
    program: 'watcher',
    title: '§6 a TIMEOUT=` 0x1p1` is a number for curl -m (glibc strtod: blanks, hex, binary exponent): a normal round on both sides',
    env: { ...WATCHER_ENV, TIMEOUT: ' 0x1p1' },
    ...ONE_PEER,
  },
  {
    id: 'watcher-interval-not-a-number',
    program: 'watcher',
    title: 'D14 POLLING_INTERVAL_SEC=soon: legacy runs one round, then sleep fails (errexit); port names the variable',
    env: { ...WATCHER_ENV, POLLING_INTERVAL_SEC: 'soon' },
    ...ONE_PEER,
    divergences: ['D14'],
  },
  {
    id: 'watcher-peers-port-not-a-number',
    program: 'watcher',
    title: 'D14 PEERS_PORT=http: legacy builds http://127.0.0.2:http (curl (3), code 000); port names the variable at start-up',
    env: { ...WATCHER_ENV, PEERS_PORT: 'http' },
    ...ONE_PEER,
    divergences: ['D14'],
  },
  {
    id: 'watcher-fractional-seconds',
    program: 'watcher',
    title:
      '§6 TIMEOUT=0.5 and POLLING_INTERVAL_SEC=0.2 are valid (curl --max-time and sleep take fractions): a hanging peer times out, 2 rounds',
    env: { ...WATCHER_ENV, TIMEOUT: '0.5', POLLING_INTERVAL_SEC: '0.2' },
    dns: ONE_PEER.dns,
    peers: [{ host: '127.0.0.2', answers: [{ kind: 'hang' }] }],
    rounds: 2,
  },
];
