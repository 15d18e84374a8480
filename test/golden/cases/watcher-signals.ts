// Watcher signals (docs/behaviour.md §6 Signals, D13): INT, HUP and TERM sent to the process group
// while it sleeps between rounds (POLLING_INTERVAL_SEC=30, stopped 2.5 s after the round began: the round itself takes
// well under 0.5 s, so the signal always lands in `sleep`)).
import type { GoldenCase } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

const base = {
  program: 'watcher',
  env: { ...WATCHER_ENV, POLLING_INTERVAL_SEC: '30' },
  dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.2'] } } },
  peers: [{ host: '127.0.0.2', answers: [{ kind: 'json', body: statusSummaryBody([]) }] }],
  rounds: 1,
  stopDelayMs: 2500,
  checkStopStatus: true,
  divergences: ['D13'],
} as const;

export const cases: GoldenCase[] = [
  {
    ...base,
    id: 'watcher-signal-int',
    title: 'D13 SIGINT while sleeping: legacy `tmpb: parameter not set` twice, exit 2; port ends cleanly',
    stopSignal: 'SIGINT',
  },
  {
    ...base,
    id: 'watcher-signal-hup',
    title: 'D13 SIGHUP to the group while sleeping: legacy `Hangup`, then the tmpb line twice, exit 2; port ends cleanly',
    stopSignal: 'SIGHUP',
  },
  {
    ...base,
    id: 'watcher-signal-term',
    title: 'D13 SIGTERM while sleeping: legacy silent, killed by SIGTERM (143); port ends cleanly',
    stopSignal: 'SIGTERM',
  },
];
