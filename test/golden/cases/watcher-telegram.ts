// Watcher notifications when Telegram fails (contract §6 Notify, D5): refused, timeout, 500,
// 429 with retry_after, 400; a round with several alerts and one failure.
import type { GoldenCase } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type PeerAnswer } from '../../support/peers.ts';

const NAME = 'peers.sentinella.test';
const DNS = { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2'] } } };
const NO_URLS: PeerAnswer = { kind: 'json', body: statusSummaryBody([]) };
const PEERS = [{ host: '127.0.0.2', answers: [NO_URLS] }];

export const cases: GoldenCase[] = [
  {
    id: 'watcher-telegram-refused',
    program: 'watcher',
    title: 'D5 Telegram refuses connections: curl (7) line, error `notify failed: <message>`, notice; legacy writes the state anyway',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { listen: false },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-timeout',
    program: 'watcher',
    title: 'D5 Telegram accepts and never answers: curl (28) after TIMEOUT=1, notify failed; then answers in round 2',
    env: { ...WATCHER_ENV, TIMEOUT: '1' },
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'hang' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-500',
    program: 'watcher',
    title: 'D5 Telegram answers 500: legacy notices nothing and writes the state; port keeps it and resends in round 2',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'error', status: 500, description: 'Internal Server Error' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-429',
    program: 'watcher',
    title: 'D5 Telegram answers 429 retry_after 30: legacy notices nothing; port keeps the state and sends nothing before 30 s',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'retry', after: 30 }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-400',
    program: 'watcher',
    title: 'D5 Telegram answers 400 (chat not found): legacy notices nothing; port logs the rejection and writes the state',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'error', status: 400, description: 'Bad Request: chat not found' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-500-several-alerts',
    program: 'watcher',
    title: 'D5 three alerts in one round, the first gets 500: legacy sends all three; port postpones the rest, all delivered by round 2',
    env: WATCHER_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'] } } },
    peers: [
      { host: '127.0.0.2', answers: [NO_URLS] },
      { host: '127.0.0.3', answers: [{ kind: 'unauthorized' }] },
    ],
    telegram: { answers: [{ kind: 'error', status: 502, description: 'Bad Gateway' }] },
    rounds: 2,
    divergences: ['D5'],
  },
];
