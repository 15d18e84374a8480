// curl's reading of URLs and responses (docs/behaviour.md §9, §4.7, §6 a): router checks and watcher
// peer polls against crafted raw responses and URLs that only curl's own rules decide. The
// same inputs, and hundreds more, go to the real curl in test/differential/curl-*.test.ts.
import type { GoldenCase, PeerSpec } from '../types.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';
import { get } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';

const r = (c: Omit<GoldenCase, 'program'>): GoldenCase => ({ program: 'router', ...c });
/** One check against 127.0.0.2:8080 answering `bytes` (raw, then close). */
const check = (id: string, title: string, url: string, bytes: string, divergences?: string[]): GoldenCase =>
  r({
    id,
    title,
    env: { URLS: url, TIMEOUT: '2' },
    peers: [{ host: '127.0.0.2', port: 8080, answers: [{ kind: 'raw', bytes }] }],
    stdin: get('/status'),
    ...(divergences ? { divergences } : {}),
  });
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
const SUMMARY = statusSummaryBody([]);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
/** A watcher round against one peer (127.0.0.2) answering `raw`. */
const poll = (id: string, title: string, raw: string, env: Record<string, string> = {}): GoldenCase => ({
  id,
  program: 'watcher',
  title,
  env: { ...WATCHER_ENV, ...env },
  dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.2'] } } },
  peers: [{ host: '127.0.0.2', answers: [{ kind: 'raw', bytes: raw }] }] satisfies PeerSpec[],
  rounds: 1,
});

export const cases: GoldenCase[] = [
  // ---- router: what curl reports for odd responses (§9)
  check(
    'router-curl-repeated-length',
    '§9 the same Content-Length twice: curl reads it, code 200',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
  ),
  check(
    'router-curl-conflicting-length',
    '§9 two different Content-Lengths: curl takes the last, code 200',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 2\r\n\r\nok',
  ),
  check(
    'router-curl-interim-100',
    '§9 a 100 Continue before the response: skipped, code 204',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
  ),
  check(
    'router-curl-http10-until-close',
    '§9 HTTP/1.0 without a length: body read until close, code 200',
    'http://127.0.0.2:8080/',
    'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nwhole body',
  ),
  check(
    'router-curl-lowercase-status',
    '§9 `http/1.1 404` is not a status line curl parses: it counts as 200',
    'http://127.0.0.2:8080/',
    'http/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nok',
  ),
  check(
    'router-curl-http09',
    '§9 a reply without a status line (HTTP/0.9): curl refuses it, code 000 [D1]',
    'http://127.0.0.2:8080/',
    'hello world\n',
    ['D1'],
  ),
  check(
    'router-curl-truncated',
    '§9 fewer body bytes than Content-Length: the transfer fails, code 000 [D1]',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok',
    ['D1'],
  ),
  check(
    'router-curl-bad-length',
    '§9 Content-Length -1: curl refuses the response, code 000 [D1]',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok',
    ['D1'],
  ),
  check(
    'router-curl-bare-lf',
    '§9 LF-only line endings and a status line without reason: code 200',
    'http://127.0.0.2:8080/',
    'HTTP/1.1 200\nContent-Length: 2\n\nok',
  ),
  // ---- router: the request curl sends (§9)
  check(
    'router-curl-dot-segments',
    '§9 dot segments removed from the path (not from the query)',
    'http://127.0.0.2:8080/a/b/../../c/./d?x=/../y',
    OK,
  ),
  check(
    'router-curl-percent-encoding',
    '§9 bytes outside printable ASCII in the path as %xx (lowercase), `%zz` and `|` as written',
    'http://127.0.0.2:8080/caf\u00e9/%zz/a|b',
    OK,
  ),
  check('router-curl-fragment', '§9 the fragment is not sent', 'http://127.0.0.2:8080/page#section', OK),
  check(
    'router-curl-userinfo',
    '§9 `user:pass@` in the URL goes out as Basic auth (percent-decoded)',
    'http://us%65r:p%40ss@127.0.0.2:8080/private',
    OK,
  ),
  check('router-curl-no-scheme', '§9 no scheme means http', '127.0.0.2:8080/bare', OK),
  r({
    id: 'router-curl-glob',
    title:
      '§9 a URL with a curl glob of several expansions: curl fetches each (the last one fails here, so the code is 000 without timings), the port none; a broken one fails on both sides [D29] [D1]',
    env: { URLS: 'http://127.0.0.2:8080/{a,b} http://127.0.0.2:8080/[z', TIMEOUT: '2' },
    peers: [
      {
        host: '127.0.0.2',
        port: 8080,
        answers: [
          { kind: 'raw', bytes: OK },
          { kind: 'raw', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok' },
        ],
      },
    ],
    stdin: get('/status'),
    divergences: ['D29', 'D1'],
  }),
  r({
    id: 'router-curl-glob-single',
    title: '§9 a curl glob with one expansion (`{a}`, `[1-1]`, `[01-01]`, `[c-c:1]`) is the one URL curl fetches, code 200',
    env: { URLS: 'http://127.0.0.2:8080/{a} http://127.0.0.2:8080/x[1-1]y[01-01]z[c-c:1]', TIMEOUT: '2' },
    peers: [{ host: '127.0.0.2', port: 8080, answers: [{ kind: 'raw', bytes: OK }] }],
    stdin: get('/status'),
  }),
  // ---- watcher: peer answers curl reads (§6 a, §9)
  poll(
    'watcher-curl-repeated-length',
    '§9 a peer repeating Content-Length: read as curl does, OK',
    `HTTP/1.1 200 OK\r\nContent-Length: ${bytes(SUMMARY)}\r\nContent-Length: ${bytes(SUMMARY)}\r\n\r\n${SUMMARY}`,
  ),
  poll(
    'watcher-curl-interim-100',
    "§9 a 1xx before the peer's answer is skipped, OK",
    `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${bytes(SUMMARY)}\r\n\r\n${SUMMARY}`,
  ),
  poll('watcher-curl-http10-until-close', '§9 HTTP/1.0 without a length: body until close, OK', `HTTP/1.0 200 OK\r\n\r\n${SUMMARY}`),
  poll(
    'watcher-curl-truncated',
    "§9 a body cut short: curl's (18) line, code 000, FAIL",
    `HTTP/1.1 200 OK\r\nContent-Length: ${bytes(SUMMARY) + 10}\r\n\r\n${SUMMARY}`,
  ),
  poll(
    'watcher-curl-bad-chunk',
    "§9 a bad chunk size: curl's (56) line, code 000, FAIL",
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${SUMMARY}\r\n0\r\n\r\n`,
  ),
  {
    ...poll('watcher-curl-odd-header-bytes', "§9 header bytes Node's parser refuses (0x01, 0xff): curl reads the answer, OK", ''),
    peers: [
      {
        host: '127.0.0.2',
        answers: [
          {
            kind: 'raw',
            latin1: true,
            bytes: `HTTP/1.1 200 OK\r\nX-Odd: a\x01\xff\r\nContent-Length: ${bytes(SUMMARY)}\r\n\r\n${SUMMARY}`,
          },
        ],
      },
    ],
  },
  poll(
    'watcher-curl-nul-header',
    "§9 a NUL byte in a header: curl's (8) line, code 000, FAIL",
    `HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\nContent-Length: ${bytes(SUMMARY)}\r\n\r\n${SUMMARY}`,
  ),
  poll(
    'watcher-curl-token-request',
    '§6 a: the peer request with PEERS_TOKEN: GET /, `Authorization: Basic <token>`',
    `HTTP/1.1 200 OK\r\nContent-Length: ${bytes(SUMMARY)}\r\n\r\n${SUMMARY}`,
    { PEERS_TOKEN: 'dXNlcjpwYXNz' },
  ),
];
