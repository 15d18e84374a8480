// More of curl's reading of URLs and responses (docs/behaviour.md §9, §4.7, §6 a): the host
// shapes only curl's own rules decide (one slash after the scheme, a percent-encoded host,
// an IPv6 zone, names curl resolves itself, names ending in a number looked up through NSS,
// IDN names under a UTF-8 locale or under C) and the answers curl reads its own way (101
// without an upgrade asked for, Transfer-Encoding codings). The same shapes, and hundreds
// more, go to the real curl in test/differential/curl-*.test.ts.
import { gzipSync } from 'node:zlib';
import type { GoldenCase, PeerSpec } from '../types.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';
import { get } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
/** A target answering OK on `host`:8080. */
const target = (host: string): PeerSpec => ({ host, port: 8080, answers: [{ kind: 'raw', bytes: OK }] });
/** A router /status run checking `urls` (TIMEOUT 2). */
const status = (id: string, title: string, urls: readonly string[], { env, ...rest }: Partial<GoldenCase> = {}): GoldenCase => ({
  id,
  program: 'router',
  title,
  env: { URLS: urls.join(' '), TIMEOUT: '2', ...env },
  peers: [target('127.0.0.2')],
  stdin: get('/status'),
  ...rest,
});
const SUMMARY = statusSummaryBody([]);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
/** A watcher round against one peer (127.0.0.2) answering `raw` (latin1: one char per byte). */
const poll = (id: string, title: string, raw: string, divergences?: string[]): GoldenCase => ({
  id,
  program: 'watcher',
  title,
  env: { ...WATCHER_ENV },
  dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.2'] } } },
  peers: [{ host: '127.0.0.2', answers: [{ kind: 'raw', bytes: raw, latin1: true }] }],
  rounds: 1,
  ...(divergences ? { divergences } : {}),
});
const chunk = (body: string): string => `${bytes(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
/** One chunk of a latin1 string (one char per byte), then the last chunk. */
const chunkLatin1 = (body: string): string => `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;

export const cases: GoldenCase[] = [
  // ---- router: hosts as curl reads them (§9)
  status(
    'router-curl-host-shapes',
    '§9 one slash after the scheme, a percent-encoded IPv4 host, an IPv6 zone, `*.localhost` (curl resolves it itself), `peer.1` (a name NSS finds, not IPv4): code 200 each',
    [
      'http:/127.0.0.2:8080/one-slash',
      'http://127.0.0.%32:8080/percent',
      'http://[::1%25lo]:8080/zone',
      'http://foo.localhost:8080/loopback',
      'http://peer.1:8080/nss',
    ],
    { peers: [target('127.0.0.2'), target('::1'), target('127.0.0.1')], hosts: ['127.0.0.2 peer.1'] },
  ),
  status(
    'router-curl-host-refused',
    '§9 four slashes after the scheme, a name ending in a number that NSS does not know (`1.2.3.4.5` is no IPv4 to curl): code 000 [D1]',
    ['http:////127.0.0.2:8080/four', 'http://1.2.3.4.5:8080/unknown'],
    { divergences: ['D1'] },
  ),
  status(
    'router-curl-idn-utf8',
    '§9 a non-ASCII host under a UTF-8 locale (LANG=C.UTF-8): curl sends it in punycode, code 200',
    ['http://bücher.localhost:8080/idn'],
    { env: { LANG: 'C.UTF-8' }, peers: [target('127.0.0.1')] },
  ),
  status(
    'router-curl-idn-c',
    '§9 a non-ASCII host under the C locale: curl refuses the URL, code 000 [D1]',
    ['http://bücher.localhost:8080/idn'],
    { peers: [target('127.0.0.1')], divergences: ['D1'] },
  ),
  status(
    'router-curl-101-empty',
    '§9 a 101 with nothing after it (no upgrade was asked for): curl fails (52), code 000 [D1]',
    ['http://127.0.0.2:8080/'],
    {
      peers: [{ host: '127.0.0.2', port: 8080, answers: [{ kind: 'raw', bytes: 'HTTP/1.1 101 Switching Protocols\r\n\r\n' }] }],
      divergences: ['D1'],
    },
  ),
  status(
    'router-curl-te-gzip',
    '§9 `Transfer-Encoding: gzip, chunked`: over bytes that are not gzip curl fails (code 000), over real gzip it decodes (200); the port fails both (code 000) [D37] [D1]',
    ['http://127.0.0.2:8080/garbage', 'http://127.0.0.2:8080/gzip'],
    {
      peers: [
        {
          host: '127.0.0.2',
          port: 8080,
          answers: [
            { kind: 'raw', bytes: `HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunk('ok')}` },
            {
              kind: 'raw',
              latin1: true,
              bytes: `HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunkLatin1(gzipSync('ok').toString('latin1'))}`,
            },
          ],
        },
      ],
      divergences: ['D37', 'D1'],
    },
  ),
  // ---- watcher: answers curl reads its own way (§6 a, §9)
  poll(
    'watcher-curl-101-empty',
    "§9 a 101 with nothing after it: curl's (52) line, code 000, FAIL",
    'HTTP/1.1 101 Switching Protocols\r\n\r\n',
  ),
  poll(
    'watcher-curl-te-identity',
    '§9 Transfer-Encoding without chunked: curl ignores Content-Length and reads to the close, OK',
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n${SUMMARY}`,
  ),
  poll(
    'watcher-curl-te-unknown',
    "§9 a transfer coding curl does not know: curl's (61) line, code 000, FAIL",
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: foo, chunked\r\n\r\n${chunk(SUMMARY)}`,
  ),
  poll(
    'watcher-curl-te-gzip-garbage',
    "§9 `Transfer-Encoding: gzip, chunked` over bytes that are not gzip: curl's zlib message, the port's own (61) line, FAIL both [D37]",
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunk(SUMMARY)}`,
    ['D37'],
  ),
  poll(
    'watcher-curl-te-gzip-valid',
    '§9 `Transfer-Encoding: gzip, chunked` over real gzip: curl decodes it (OK), the port fails with (61) (FAIL) [D37]',
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunkLatin1(gzipSync(SUMMARY).toString('latin1'))}`,
    ['D37'],
  ),
];
