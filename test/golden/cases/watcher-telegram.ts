// Watcher notifications when Telegram fails (docs/behaviour.md §6 Notify, D5): refused, timeout, 500,
// 429 with retry_after, 400; a round with several alerts and one failure; then issue 10's
// cases (bot/chat problems, long texts, migration, FAIL first) at the end.
import type { GoldenCase } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
const DNS = { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2'] } } };
const NO_URLS: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([]) };
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
    title:
      'D5 Telegram answers 400 (chat not found), then accepts: legacy notices nothing; port keeps the state, logs the cause once and delivers in round 2',
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
  {
    id: 'watcher-telegram-200-not-ok',
    program: 'watcher',
    title: 'D5 Telegram answers 200 with `"ok":false`: legacy notices nothing; port keeps the state and retries in round 2',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'raw', status: 200, body: '{"ok":false,"description":"odd"}' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-empty-reply',
    program: 'watcher',
    title: 'D5 Telegram closes the connection without an answer: curl (52) line, notify failed; answers in round 2',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'close' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-chat-id-raw',
    program: 'watcher',
    title: '§6 Notify: TG_CHAT_ID is pasted as given, not encoded (`-100 1&x=y` stays as it is in the body)',
    env: { ...WATCHER_ENV, TG_CHAT_ID: '-100 1&x=y' },
    dns: DNS,
    peers: PEERS,
  },
  {
    id: 'watcher-telegram-token-space',
    program: 'watcher',
    title: '§6 Notify: a TG_TOKEN with a trailing space (a careless secrets file) makes a URL curl refuses: curl (3), notify failed',
    env: { ...WATCHER_ENV, TG_TOKEN: '123:abc ' },
    dns: DNS,
    peers: PEERS,
  },
];

// Issue 10: the real Bot API's other refusals (D5's table), long texts (D32), migrated groups
// (D33) and the order while throttled (D34).
const MIGRATED_TO = -1001557912345;
const UPGRADED = {
  kind: 'error',
  status: 400,
  description: 'Bad Request: group chat was upgraded to a supergroup chat',
  parameters: { migrate_to_chat_id: MIGRATED_TO },
} as const;
/** 120 failing checks with long URLs: the port's message (D4: every failing check) is over 4096. */
const MANY_FAILING: ScriptedPeerReply = {
  kind: 'json',
  body: statusSummaryBody(
    Array.from({ length: 120 }, (_, i) => ({
      url: `http://service-${String(i).padStart(3, '0')}.sentinella.test/health/check/endpoint`,
      code: '503',
      ok: false,
    })),
  ),
};

cases.push(
  {
    id: 'watcher-telegram-403-kicked',
    program: 'watcher',
    title:
      'D5 Telegram answers 403 (bot kicked) twice, then accepts: port keeps the state, one request a round, one error line, delivers in round 3; legacy writes the state at once',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: {
      answers: [
        { kind: 'error', status: 403, description: 'Forbidden: bot was kicked from the supergroup chat' },
        { kind: 'error', status: 403, description: 'Forbidden: bot was kicked from the supergroup chat' },
      ],
    },
    rounds: 3,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-401-two-alerts',
    program: 'watcher',
    title:
      'D5 Telegram answers 401 (token revoked) to the first of two alerts: the second is not sent that round; both delivered in round 2',
    env: WATCHER_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] } } },
    peers: PEERS,
    telegram: { answers: [{ kind: 'error', status: 401, description: 'Unauthorized' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-too-long-refused',
    program: 'watcher',
    title: 'D5 Telegram answers 400 message is too long: no retry can cure it; port logs the description and writes the state',
    env: WATCHER_ENV,
    dns: DNS,
    peers: PEERS,
    telegram: { answers: [{ kind: 'error', status: 400, description: 'Bad Request: message is too long' }] },
    rounds: 2,
    divergences: ['D5'],
  },
  {
    id: 'watcher-telegram-long-text',
    program: 'watcher',
    title: 'D32 120 failing checks: legacy names one (D4); the port names as many as fit in 4096 UTF-16 units and ends `… and N more`',
    env: WATCHER_ENV,
    dns: DNS,
    peers: [{ host: '127.0.0.2', answers: [MANY_FAILING] }],
    rounds: 1,
    divergences: ['D4', 'D32'],
  },
  {
    id: 'watcher-telegram-migrated',
    program: 'watcher',
    title:
      'D33 group upgraded to a supergroup: port warns with both ids, sends again to migrate_to_chat_id at once and remembers it in STATE_DIR; legacy loses the alert',
    env: WATCHER_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] } } },
    peers: PEERS,
    telegram: { answers: [UPGRADED] },
    rounds: 1,
    divergences: ['D33'],
  },
  {
    id: 'watcher-telegram-migrated-restart',
    program: 'watcher',
    title: 'D33 start-up with a remembered migration while TG_CHAT_ID still names the old id: warning at start-up, alerts go to the new id',
    env: WATCHER_ENV,
    files: [{ path: `${WATCHER_ENV.STATE_DIR}/telegram-chat-migrated.json`, content: `{"from":"-100","to":"${MIGRATED_TO}"}\n` }],
    dns: DNS,
    peers: PEERS,
    rounds: 1,
    divergences: ['D33'],
  },
  {
    id: 'watcher-telegram-fail-first',
    program: 'watcher',
    title:
      'D34 Telegram fails twice (502, 503): from round 2 on the FAILs go before the OK, oldest change first; legacy sends in the peers order and loses them',
    env: WATCHER_ENV,
    dns: { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'] } } },
    peers: [
      { host: '127.0.0.2', answers: [NO_URLS] },
      { host: '127.0.0.3', answers: [{ kind: 'unauthorized' }] },
    ],
    telegram: {
      answers: [
        { kind: 'error', status: 502, description: 'Bad Gateway' },
        { kind: 'error', status: 503, description: 'Service Unavailable' },
      ],
    },
    rounds: 3,
    divergences: ['D5', 'D34'],
  },
);
