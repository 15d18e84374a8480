// The numbers the originals' tools read (D14): TIMEOUT as curl's `-m` reads it in every program
// (docs/behaviour.md §4.7, §6 a), POLLING_INTERVAL_SEC as `sleep` reads it (§6.7), PEERS_PORT
// as curl reads it in the peer URL (§6.4). A text the tool accepts runs as in the originals on
// both sides; a text the tool refuses is named at start-up by the port (D14).
// test/differential/numbers.test.ts compares hundreds of texts with the real curl and sleep.
import type { GoldenCase } from '../types.ts';
import { TARGETS, get } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

const HEALTHY = [{ kind: 'json', body: statusSummaryBody([]) }] as const;
const ONE_PEER = {
  dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.2'] } } },
  peers: [{ host: '127.0.0.2', answers: HEALTHY }],
} as const;
const CHECKED = 'http://127.0.0.2:8080/ http://127.0.0.3:8080/';

const router = (id: string, title: string, timeout: string, divergences?: string[]): GoldenCase => ({
  id,
  program: 'router',
  title,
  env: { URLS: CHECKED, TIMEOUT: timeout },
  peers: TARGETS,
  stdin: get('/status'),
  ...(divergences ? { divergences } : {}),
});

const watcher = (id: string, title: string, env: Record<string, string>, rounds = 1, divergences?: string[]): GoldenCase => ({
  id,
  program: 'watcher',
  title,
  env: { ...WATCHER_ENV, ...env },
  ...ONE_PEER,
  rounds,
  ...(divergences ? { divergences } : {}),
});

export const cases: GoldenCase[] = [
  // ---- TIMEOUT: curl -m, in every program
  router('router-numbers-timeout-2e0', '§4.7 D14 TIMEOUT=2e0 is a number for curl -m: the checks run as usual', '2e0'),
  router('router-numbers-timeout-nan', '§4.7 D14 TIMEOUT=nan: curl -m accepts it (no limit): the checks run as usual', 'nan'),
  router(
    'router-numbers-timeout-inf',
    '§4.7 D14 TIMEOUT=inf: curl -m refuses it (`too large number`, discarded): every check 000; port names the variable',
    'inf',
    ['D14'],
  ),
  {
    id: 'probe-numbers-timeout-hex',
    program: 'probe',
    title: "§5 D14 TIMEOUT=` +0x1p1` (blank, sign, hex float) is a number for the router's curl -m: the checks run as usual",
    env: { PORT: '6040', URLS: CHECKED, TIMEOUT: ' +0x1p1' },
    peers: TARGETS,
    requests: [{ send: get('/status') }],
  },
  watcher('watcher-numbers-timeout-2e0', '§6 a D14 TIMEOUT=2e0 is a number for curl -m: a normal round', { TIMEOUT: '2e0' }),
  watcher('watcher-numbers-timeout-nan', '§6 a D14 TIMEOUT=nan: curl -m accepts it (no limit): a normal round', { TIMEOUT: 'nan' }),

  // ---- POLLING_INTERVAL_SEC: sleep "$POLLING_INTERVAL_SEC"
  watcher(
    'watcher-numbers-interval-3e-1',
    '§6.7 D14 POLLING_INTERVAL_SEC=3e-1 is a number for sleep: two rounds',
    { POLLING_INTERVAL_SEC: '3e-1' },
    2,
  ),
  watcher(
    'watcher-numbers-interval-suffix',
    "§6.7 D14 POLLING_INTERVAL_SEC=0.005m (sleep's minute suffix, 0.3 s): two rounds",
    { POLLING_INTERVAL_SEC: '0.005m' },
    2,
  ),
  watcher(
    'watcher-numbers-interval-hex-blank',
    '§6.7 D14 POLLING_INTERVAL_SEC=` 0x0.4p0` (blank, hex float: 0.25 s): two rounds, the log line prints the text as given',
    { POLLING_INTERVAL_SEC: ' 0x0.4p0' },
    2,
  ),

  // ---- PEERS_PORT: the peer URL as curl reads it
  watcher('watcher-numbers-peers-port-005988', '§6.4 D14 PEERS_PORT=005988: curl reads port 5988; the URL keeps the text', {
    PEERS_PORT: '005988',
  }),
  watcher('watcher-numbers-peers-port-path', '§6.4 D14 PEERS_PORT=5988/x: curl reads port 5988 and asks for /x', { PEERS_PORT: '5988/x' }),
  watcher('watcher-numbers-peers-port-zero', '§6.4 D14 PEERS_PORT=0: curl takes it and cannot connect (7), code 000', { PEERS_PORT: '0' }),
  // ---- D14 texts the tool refuses: legacy runs one round with the tool's complaint, the port names the variable
  ...(
    [
      [
        'watcher-numbers-timeout-negative',
        '§6 a D14 TIMEOUT=-1: curl says `expected a positive numerical parameter` for every request; port names the variable',
        { TIMEOUT: '-1' },
      ],
      [
        'watcher-numbers-interval-negative',
        "§6.7 D14 POLLING_INTERVAL_SEC=-1: legacy runs one round, then sleep's `invalid option` ends it (errexit); port names the variable",
        { POLLING_INTERVAL_SEC: '-1' },
      ],
      [
        'watcher-numbers-peers-port-plus',
        '§6.4 D14 PEERS_PORT=+5988: curl refuses the URL (3) for every request; port names the variable',
        { PEERS_PORT: '+5988' },
      ],
    ] as const
  ).map(([id, title, env]) => watcher(id, title, env, 1, ['D14'])),
];
