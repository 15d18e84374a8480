// Watcher: each peer outcome of docs/behaviour.md §6.6 (a-c), the observed 5-peer round and its
// Telegram body, and the message encoding. One round each unless said otherwise.
import type { GoldenCase, PeerSpec } from '../types.ts';
import { THREE_CHECK_LINES, TOKEN_USER_PASS } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
/** DNS: this host (127.0.0.1, dropped through SELF) and the given peers. */
const dnsWith = (...peers: string[]) => ({ records: { [NAME]: { A: ['127.0.0.1', ...peers] } } });
const peer = (host: string, ...answers: ScriptedPeerReply[]): PeerSpec => ({ host, answers });

const NO_URLS: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([]) };
/** docs/behaviour.md §6 example: checks 200, 404 and refused, the last written `"code":000` (D1). */
const THREE_CHECKS: ScriptedPeerReply = {
  kind: 'json',
  body: statusSummaryBody(THREE_CHECK_LINES),
};

export const cases: GoldenCase[] = [
  {
    id: 'watcher-peer-unauthorized',
    program: 'watcher',
    title: '§6 peer requiring auth, no PEERS_TOKEN: no Authorization sent, 401, `FAIL: ... [0/0]`, state down:0/0:401',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.3'),
    peers: [peer('127.0.0.3', { kind: 'unauthorized' })],
  },
  {
    id: 'watcher-peer-token-sent',
    program: 'watcher',
    title: '§6.6a PEERS_TOKEN set: exactly `Authorization: Basic <token>` is sent, the peer answers, OK [0/0]',
    env: { ...WATCHER_ENV, PEERS_TOKEN: TOKEN_USER_PASS },
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', NO_URLS)],
  },
  {
    id: 'watcher-peer-token-empty',
    program: 'watcher',
    title: '§6 PEERS_TOKEN="" = unset: no Authorization header at all',
    env: { ...WATCHER_ENV, PEERS_TOKEN: '' },
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', NO_URLS)],
  },
  {
    id: 'watcher-peer-token-quote',
    program: 'watcher',
    title: "D12 PEERS_TOKEN=a'b: legacy's sh -c breaks (Unterminated quoted string, code 000); port sends the header",
    env: { ...WATCHER_ENV, PEERS_TOKEN: "a'b" },
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', NO_URLS)],
    divergences: ['D12'],
  },
  {
    id: 'watcher-peer-refused',
    program: 'watcher',
    title: '§6.6a nothing listening: curl (7) line, `FAIL: ... [0/0]`, state down:0/0:000',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.4'),
  },
  {
    id: 'watcher-peer-hanging',
    program: 'watcher',
    title: '§6.6a peer accepts and never answers: curl (28) after TIMEOUT=1, state down:0/0:000',
    env: { ...WATCHER_ENV, TIMEOUT: '1' },
    dns: dnsWith('127.0.0.6'),
    peers: [peer('127.0.0.6', { kind: 'hang' })],
  },
  {
    id: 'watcher-peer-reset',
    program: 'watcher',
    title: '§6.6a peer resets the connection: curl (56) line, code 000',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'reset' })],
  },
  {
    id: 'watcher-peer-empty-reply',
    program: 'watcher',
    title: '§6.6a peer closes without answering: curl (52) Empty reply from server, code 000',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'close' })],
  },
  {
    id: 'watcher-peer-failed-checks',
    program: 'watcher',
    title: '§6.6b-c D1 D4 old router body with `"code":000` parses; [1/3], legacy item checks(000), port lists url(code)',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.5'),
    peers: [peer('127.0.0.5', THREE_CHECKS)],
    divergences: ['D4'],
  },
  {
    id: 'watcher-peer-all-checks-ok',
    program: 'watcher',
    title: '§6.6b total equals good with checks: `OK  : ... [2/2]`, state up:2/2:200, no failures suffix',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'json',
        body: statusSummaryBody([
          { url: 'http://a/', code: '200', ok: true },
          { url: 'http://c/', code: '301', ok: true },
        ]),
      }),
    ],
  },
  {
    id: 'watcher-peer-non-json',
    program: 'watcher',
    title: 'D9 a 200 `hello`: legacy jq parse error and up [0/0]; port down, invalid status body',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'http', status: '200 OK', body: 'hello' })],
    divergences: ['D9'],
  },
  {
    id: 'watcher-peer-empty-body',
    program: 'watcher',
    title: 'D9 a 200 with an empty body: legacy up [0/0] without any stderr line; port down',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'http', status: '200 OK', contentType: 'application/json', body: '' })],
    divergences: ['D9'],
  },
  {
    id: 'watcher-peer-json-without-status',
    program: 'watcher',
    title: '§6.6b JSON without .status: `[: Illegal number: null`, `FAIL: ... [null/null]`, state down:null/null:200',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'json', body: '{"foo":1}' })],
  },
  {
    id: 'watcher-peer-http-500',
    program: 'watcher',
    title: '§6.6b only a 200 is read: a 500 with a failing-check body is down [0/0] with its failures (D4), state down:0/0:500',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'json',
        status: 500,
        body: statusSummaryBody([
          { url: 'http://a/', code: '503', ok: false },
          { url: 'http://b/', code: '200', ok: true },
        ]),
      }),
    ],
    divergences: ['D4'],
  },
  {
    id: 'watcher-observed-round',
    program: 'watcher',
    title: '§6 observed round, 5 peers in DNS order: no URLS, 401, refused, checks 200/404/refused, all checks ok; exact Telegram bodies',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'),
    peers: [
      peer('127.0.0.2', NO_URLS),
      peer('127.0.0.3', { kind: 'unauthorized' }),
      peer('127.0.0.5', THREE_CHECKS),
      peer('127.0.0.6', { kind: 'json', body: statusSummaryBody([{ url: 'http://a/', code: '200', ok: true }]) }),
    ],
    divergences: ['D4'],
  },
  {
    id: 'watcher-message-encoding',
    program: 'watcher',
    title: '§6 Notify: non-ASCII and reserved bytes %XX (uppercase), space +, - . _ ~ kept; chat_id as given (@ not encoded)',
    env: { ...WATCHER_ENV, TG_CHAT_ID: '@sentinella_alerts' },
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'json',
        body: statusSummaryBody([
          { url: 'http://bücher.test/ä ö?q=1&r=2+3%', code: '000', ok: false },
          { url: 'http://x/', code: '"été ~ é_-.*\'+&=%#/"', ok: false },
        ]),
      }),
    ],
    divergences: ['D4'],
  },
  {
    id: 'watcher-message-backslash',
    program: 'watcher',
    title:
      '§6.6b §8 string counts: jq -r gives `a\\tb`, dash `Illegal number`, down; the notify line goes through %b (TAB), Telegram and state keep the backslash',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'json',
        body: '{"status":{"checks":[],"summary":{"total":"a\\\\tb","ok":"a\\\\tb"}},"disk":{"volumes":[]}}',
      }),
    ],
  },
  {
    id: 'watcher-peer-summary-mismatch',
    program: 'watcher',
    title: '§6.6b-c total differs from good but no check has "ok":false: `FAIL: ... [1/2]` without a failures suffix',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'json',
        body: '{"status":{"checks":[{"url":"http://a/","code":200,"time_s":0.001000,"ok":true}],"summary":{"total":2,"ok":1}},"disk":{"volumes":[]}}',
      }),
    ],
  },
  {
    id: 'watcher-peer-leading-zeros',
    program: 'watcher',
    title: 'D1 compatibility: jq 1.6 reads numbers with leading zeros, `"total":03,"ok":003` is [3/3], up',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'json', body: '{"status":{"checks":[],"summary":{"total":03,"ok":003}},"disk":{"volumes":[]}}' })],
  },
  {
    id: 'watcher-peer-redirect',
    program: 'watcher',
    title: '§6.6a a 302 is not followed: code 302, down [0/0], state down:0/0:302, the target is never asked',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'raw',
        bytes: 'HTTP/1.1 302 Found\r\nLocation: http://127.0.0.3:5988/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      }),
      peer('127.0.0.3', NO_URLS),
    ],
  },
  {
    id: 'watcher-peer-no-content-length',
    program: 'watcher',
    title: '§6.6a a 200 without Content-Length, body ended by the close: the whole body is read, [1/1] up',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'raw',
        bytes: `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${statusSummaryBody([{ url: 'http://a/', code: '200', ok: true }])}`,
      }),
    ],
  },
  {
    id: 'watcher-peer-chunked',
    program: 'watcher',
    title: '§6.6a a 200 with Transfer-Encoding: chunked (a proxy in front of a probe): decoded, checks 404 failing, [0/1]',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'raw',
        bytes:
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
          '1f\r\n{"status":{"checks":[{"url":"ht\r\n' +
          '67\r\ntp://b/","code":404,"time_s":0.001000,"ok":false}],"summary":{"total":1,"ok":0}},"disk":{"volumes":[]}}\r\n' +
          '0\r\n\r\n',
      }),
    ],
    divergences: ['D4'],
  },
  {
    id: 'watcher-peer-json-null',
    program: 'watcher',
    title: '§6.6b a 200 whose body is JSON `null`: `.status.summary` is null, `null null`, Illegal number, [null/null] down',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'json', body: 'null' })],
  },
  {
    id: 'watcher-peer-short-body',
    program: 'watcher',
    title: '§6.6a a 200 whose body ends before its Content-Length: curl (18), the request failed, code 000 (not 200)',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [
      peer('127.0.0.2', {
        kind: 'raw',
        bytes: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"status":{',
      }),
    ],
  },
  {
    id: 'watcher-peer-not-http',
    program: 'watcher',
    title: '§6.6a something that is not HTTP answers on the peer port: curl (1) HTTP/0.9, code 000',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2'),
    peers: [peer('127.0.0.2', { kind: 'raw', bytes: 'SSH-2.0-OpenSSH_9.2\r\n' })],
  },
  {
    id: 'watcher-peer-number-forms',
    program: 'watcher',
    title: '§6.6b counts as jq 1.6 prints them: 1e1 and 10.0 are 10 (up), 1.5 is not an integer for dash (down), a huge total too',
    env: WATCHER_ENV,
    dns: dnsWith('127.0.0.2', '127.0.0.3', '127.0.0.4'),
    peers: [
      peer('127.0.0.2', { kind: 'json', body: '{"status":{"checks":[],"summary":{"total":1e1,"ok":10.0}}}' }),
      peer('127.0.0.3', { kind: 'json', body: '{"status":{"checks":[],"summary":{"total":1.5,"ok":1.5}}}' }),
      peer('127.0.0.4', { kind: 'json', body: '{"status":{"checks":[],"summary":{"total":123456789012345678901,"ok":-0}}}' }),
    ],
  },
  {
    id: 'watcher-round-order',
    program: 'watcher',
    title:
      "§6.6 peers reported in DNS order whatever their timing: hanging (TIMEOUT=1), refused, healthy; each curl line just before its peer's message",
    env: { ...WATCHER_ENV, TIMEOUT: '1' },
    dns: dnsWith('127.0.0.6', '127.0.0.4', '127.0.0.2', '127.0.0.7'),
    peers: [peer('127.0.0.6', { kind: 'hang' }), peer('127.0.0.2', NO_URLS), peer('127.0.0.7', { kind: 'close' })],
  },
];
