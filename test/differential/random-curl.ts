// Inputs for the differential tests against the real curl (curl-*.test.ts): generators of URLs
// and of raw HTTP responses from the seeded PRNG (test/support/prng.ts, so every run feeds the
// same inputs), each mixing the contract's edge cases (§9) with random combinations.
import { Prng } from '../support/prng.ts';

/** The server's port in a URL template (a placeholder no generator produces by chance). */
export const PORT = '\u0001';

/** Path pieces: dots, spaces, non-ASCII, escapes, odd printable bytes. */
const SEGMENTS = [
  'a',
  'b',
  '.',
  '..',
  '...',
  '.a',
  'a.',
  '%2e',
  '%2E%2e',
  'é',
  'ü',
  '日本',
  ' ',
  'a b',
  '%20',
  '"',
  '\\',
  '`',
  '^',
  '|',
  '~',
  '%zz',
  '%',
  ';x=1',
  ',',
  '!',
  "'",
  '(',
  ')',
  '*',
  '$',
  '&',
  '=',
  '+',
  '@',
  ':',
  '\u007f',
  '\t',
  'x\u00a0y',
  '%7e',
  '',
];
const QUERIES = ['', '?', '?a=1', '?a=/../b', '?é=ü', '?a b', '?x=%41&y=..', '?#', '?a?b', '?/./'];
const FRAGMENTS = ['', '#', '#f', '#a/../b', '#é', '#a b', '#?q'];
const USERINFO = ['', '', '', 'u@', 'u:p@', ':p@', 'u:@', 'u%3Ax:p%40y@', 'us%C3%A9r:p%C3%A4ss@', 'a:b:c@', 'u%zz:p@', 'u:p%@', 'é:ü@'];
const HOSTS = [
  '127.0.0.1',
  '127.0.0.1',
  '127.1',
  '2130706433',
  '0x7f.0.0.1',
  '0177.0.0.1',
  '[::1]',
  '[0:0:0:0:0:0:0:1]',
  'localhost',
  '127.0.0.1.',
];
/**
 * Hosts only curl's own rules decide (§9): IPv6 zones and inet_ntop's shorter form, the names
 * curl resolves itself (localhost, *.localhost), names ending in a number (NSS names, not
 * IPv4), percent-encoded names, IDN names (punycode under a UTF-8 locale only).
 */
const NAME_HOSTS = [
  '[::1%25lo]',
  '[::1%lo]',
  '[::1%25]',
  '[::1%2525]',
  '[::1%25%25]',
  '[::1%25é]',
  '[::1%25123456789012345]',
  '[::1%251234567890123456]',
  '[::1%]',
  '[0:0:0:0:0:0:0:1%25lo]',
  '[::ffff:127.0.0.1]',
  '[::FFFF:7f00:1]',
  '[0::1]',
  '[::0:1]',
  '[::2]',
  '[1:0:0:1:0:0:0:0]',
  '[0:0:0:0:0:0:1.2.3.4]',
  '[::ffff:0:1.2.3.4]',
  '[::1.02.3.4]',
  'foo.localhost',
  'LOCALHOST',
  'a.b.Localhost',
  '.localhost',
  'localhost.',
  'foo.localhost.',
  'xlocalhost',
  'peer.1',
  '1.2.3.4.5',
  '256.1.1.1',
  '08.1.1.1',
  '0x',
  '0x7f.1',
  '4294967296',
  '127.0.0.01',
  '127.1.65536',
  'nohost.test',
  '127.0.0.%31',
  '127.%31',
  '%31%32%37.0.0.1',
  '%6cocalhost',
  'foo%2elocalhost',
  'a%zzb.peer',
  'a%25b.localhost',
  'a%20b.localhost',
  'a%2fb.localhost',
  'a%01b.localhost',
  'a%7fb.localhost',
  'a%7cb.localhost',
  'a%b.localhost',
  '%5b::1%5d',
  'bücher.localhost',
  'BÜCHER.localhost',
  '日本.localhost',
  'faß.localhost',
  'ẞ.localhost',
  'ς.localhost',
  'a\u200db.localhost',
  'a\u200cb.localhost',
  'ＡＢＣ.localhost',
  '☃.localhost',
  'ab--c.ü.localhost',
  '-a.ü.localhost',
  'a-.ü.localhost',
  'xn--zz.ü.localhost',
  'ü_x.localhost',
  'ü|x.localhost',
  'ü~x.localhost',
  'a~b.ü.localhost',
  'ü.a|b.localhost',
  '～ü.localhost',
  'ü。localhost',
  'XN--TDA.ü.localhost',
  'xn--ab.ü.localhost',
  'ü%zz.localhost',
  '\u0301a.localhost',
  'é..localhost',
  'xn--tda.localhost',
  'ü.peer',
  'ü.1',
  'a%C3%BCb.localhost',
  'a%FFb.localhost',
  `${'ü'.repeat(60)}.localhost`,
];
/** Names the /etc/hosts of curl-url-scenario.ts's namespace gives 127.0.0.1 (looked up through NSS). */
export const HOSTS_FILE_NAMES = ['peer.1', '1.2.3.4.5', '127.0.0.1.', 'a%25zzb.peer', 'xn--tda.peer', 'xn--tda.1'];
const PORTS = [`:${PORT}`, `:${PORT}`, `:${PORT}`, `:0${PORT}`, `:00${PORT}`, ':'];
/** Schemes: one to three slashes (four are refused), digits in a scheme, none at all. */
const SCHEMES = [
  'http://',
  'http://',
  'http://',
  'HTTP://',
  'Http://',
  '',
  '',
  'http:///',
  'http:/',
  'HTTP:/',
  'http:////',
  '1http://',
  'a-b.c+d:/',
];
const GLOBS = [
  '{a,b}',
  '[1-2]',
  '{x}',
  '[a-b]',
  '[z',
  '{a',
  '}',
  ']',
  '[01-02]',
  '{}',
  // one expansion each (curl fetches it), and patterns curl refuses
  '[1-1]',
  '[a-a:1]',
  '[007-7]',
  '{a\\,b}',
  '\\{x\\}',
  '[1-3:5]',
  '{,}',
  '[::1]',
  '[]',
  '[1-1:2]',
];

/** Hand-written URLs: the contract's examples and the rules of §9 one by one. */
export const EDGE_URLS: readonly string[] = [
  `http://127.0.0.1:${PORT}/`,
  `http://127.0.0.1:${PORT}`,
  `127.0.0.1:${PORT}/no-scheme`,
  `http://127.0.0.1:${PORT}/a/b/../c/./d?x=/../y#frag`,
  `http://127.0.0.1:${PORT}/a/..`,
  `http://127.0.0.1:${PORT}/a/.`,
  `http://127.0.0.1:${PORT}/..`,
  `http://127.0.0.1:${PORT}/%2e%2e/x`,
  `http://127.0.0.1:${PORT}/é?q=é`,
  `http://127.0.0.1:${PORT}/a b`,
  `http://u:p@127.0.0.1:${PORT}/auth`,
  `http://u%41:p%3Ax@127.0.0.1:${PORT}/auth`,
  `http://user@127.0.0.1:${PORT}/useronly`,
  `http://u:p@q@127.0.0.1:${PORT}/at`,
  `http://127.0.0.1:${PORT}/{a,b}`,
  `http://127.0.0.1:${PORT}/[1-2]`,
  `http://127.0.0.1:${PORT}/[z`,
  `http://127.0.0.1:${PORT}/{a}`,
  `http://127.0.0.1:${PORT}/x[1-1]y[01-01]z[a-a]`,
  `http://127.0.0.1:${PORT}/[0-0:1]{b\\}}{\\,}`,
  `http://127.0.0.1:${PORT}/x\\{a\\}\\[1\\]`,
  `http://{127.0.0.1}:[${PORT}-${PORT}]/host-and-port`,
  `http://127.0.0.1:${PORT}/[::1][]{c}`,
  `http://127.0.0.1:${PORT}/[1-3:5]`,
  `http://127.0.0.1:${PORT}/{}`,
  `http://127.0.0.1:${PORT}/{a[1-1]}`,
  `http://127.0.0.1:${PORT}/x}`,
  `http://[::1]:${PORT}/v6`,
  `http://127.0.0.1:99999/big`,
  `http://127.0.0.1:x/`,
  `foo://127.0.0.1:${PORT}/`,
  `http://127.0.0.1:${PORT}?q`,
  `http://127.0.0.1:${PORT}#f`,
  `http://127.0.0.1:${PORT}/\\033[0mz`,
  `http://::1:${PORT}`,
  // one slash after the scheme; four are refused
  `http:/127.0.0.1:${PORT}/one-slash`,
  `http:/u:p@127.0.0.1:${PORT}/one-slash-auth`,
  `http:////127.0.0.1:${PORT}/four`,
  `http:/`,
  `127.0.0.1:/scheme-like`,
  `http://127.0.0.1:/default-port`,
  // IPv6 zones
  `http://[::1%25lo]:${PORT}/zone`,
  `http://[::1%lo]:${PORT}/zone-bare`,
  `http://[::1%25nope]:${PORT}/zone-unknown`,
  `http://[::1%251]:${PORT}/zone-number`,
  `http://[fe80::1%25lo]:${PORT}/link-local`,
  // names curl resolves itself, names ending in a number (NSS)
  `http://foo.localhost:${PORT}/`,
  `http://localhost:${PORT}/`,
  `http://peer.1:${PORT}/`,
  `http://1.2.3.4.5:${PORT}/`,
  // percent-encoded hosts
  `http://127.0.0.%31:${PORT}/pct`,
  `http://a%zzb.peer:${PORT}/pct`,
  // IDN
  `http://bücher.localhost:${PORT}/idn`,
  `http://u:p@ü.peer:${PORT}/idn-nss`,
  `foo://ü/`,
];

/** `count` URL templates (PORT where the server's port goes), from `seed`. */
export function randomUrls(seed: number, count: number): string[] {
  const rng = new Prng(seed);
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const segments = Array.from({ length: Math.floor(rng.next() * 5) }, () => rng.pick(SEGMENTS));
    if (rng.next() < 0.08) segments.push(rng.pick(GLOBS));
    const path = segments.length > 0 || rng.next() < 0.7 ? `/${segments.join('/')}` : '';
    const scheme = rng.pick(SCHEMES);
    const host = rng.next() < 0.5 ? rng.pick(HOSTS) : rng.pick(NAME_HOSTS);
    // No scheme: curl guesses http only for a host without a protocol prefix; userinfo then
    // stays, an IPv6 literal too.
    const url = `${scheme}${rng.pick(USERINFO)}${host}${rng.pick(PORTS)}${path}${rng.pick(QUERIES)}${rng.pick(FRAGMENTS)}`;
    // A word starting with `-` is an option to curl, not a URL.
    urls.push(url.startsWith('-') ? `http://${url}` : url);
  }
  return urls;
}

// ---- responses ----------------------------------------------------------------------

const STATUS_LINES = [
  'HTTP/1.1 200 OK',
  'HTTP/1.1 200 OK',
  'HTTP/1.1 200',
  'HTTP/1.0 200 OK',
  'HTTP/1.1 404 Not Found',
  'HTTP/1.1 301 Moved',
  'HTTP/2 200',
  'HTTP/2.0 200 OK',
  'HTTP/1.1 0200 OK',
  'HTTP/1.1 2000 OK',
  'HTTP/1.1 099 Low',
  'HTTP/1.2 200 OK',
  'HTTP/0.9 200 OK',
  'HTTP/3 200',
  'http/1.1 404 lower',
  'HTTP/x',
  'HTTP/1.1\t200 OK',
  'HTTP/1.1  301 Two',
  ' HTTP/1.1 200 OK',
  'HTTP 200 OK',
  'HTTP/1.1 200OK',
  'HTTP/1.1 -20 Neg',
  'HTTP/1.1 999 Odd',
  'HTTP/1.1 500 Internal Server Error',
  'HTTP/1.1 204 No Content',
  'HTTP/1.1 304 Not Modified',
  'HTTP/1.1',
  'HTTP/1.1 ',
  'HTTP/2 20',
  'HTTP/4 200',
  'HTTP/1.1 200 OK\0',
  'garbage',
  'HTTP/1.1 +200 Plus',
  'HTTP/1.1 20',
  'HTTP/2 2000',
  'HTTP/1.1 200 é',
  'HTTP/1.0 302 Found',
  // 1xx as the final answer: 101 without an upgrade asked for takes the rest as its body
  'HTTP/1.1 101 Switching Protocols',
  'HTTP/1.0 101 Switching',
  'HTTP/2 101',
  'HTTP/1.1 100 Continue',
  'HTTP/1.1 103 Early Hints',
  'HTTP/1.1 150 Odd',
];
const INTERIM = [
  '',
  '',
  '',
  'HTTP/1.1 100 Continue\r\n\r\n',
  'HTTP/1.1 102 Processing\r\n\r\n',
  'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n',
  'HTTP/1.1 199 Odd\r\n\r\n',
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n',
  'HTTP/1.1 100 Continue\r\nTransfer-Encoding: gzip\r\n\r\n',
  'HTTP/1.1 102 Processing\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n',
  'HTTP/1.1 101 Switching Protocols\r\n\r\n',
];
const HEADERS = [
  'Content-Type: text/plain',
  'Server: x',
  'X-Odd: a\x01b',
  'X-Bytes: \xff\xfe',
  'X-Empty:',
  'NoColon',
  ' folded continuation',
  '\tfolded tab',
  'X-Nul: a\0b',
  'Connection: close',
  'Connection: keep-alive',
  'X: ' + 'h'.repeat(1000),
  'X-Colon : v',
  ': v',
  'Date: Wed, 02 Dec 2026 00:00:00 GMT',
  'Transfer-Encoding: identity',
  'Content-Encoding: identity',
  'X-Utf8: é',
];
/** Transfer-Encoding values: curl's list of codings (chunked anywhere, identity, unknown, compressions, more than 5). */
const TRANSFER_CODINGS = [
  'chunked',
  'Chunked',
  'gzip, chunked',
  'chunked, gzip',
  'x-gzip, chunked',
  'identity, chunked',
  'identity',
  'IDENTITY',
  'none',
  'gzip',
  'deflate',
  'br, chunked',
  'zstd',
  'foo',
  'foo, chunked',
  'chunked, foo',
  'chunked;q=1',
  'gzip chunked',
  ',chunked',
  'chunked,',
  ' , chunked ,',
  'chunked, chunked',
  '',
  'identity, identity, identity, identity, identity',
  'identity, identity, identity, identity, identity, identity',
  'a, b, c, d, e, chunked',
  'a, b, c, d, e, f',
  'foo, identity',
  'identity, foo',
  'chunked\t',
];
const BAD_LENGTHS = ['-1', 'abc', '', '0x10', '+{n}', ' {n} ', '{n}, {n}', '99999999999999999999999', '{n}abc', '\t{n}'];

function randomBody(rng: Prng): string {
  const n = Math.floor(rng.next() * 40);
  let body = '';
  for (let i = 0; i < n; i++)
    body += rng.next() < 0.8 ? rng.pick(['a', 'b', '{', '"', ':', '1', ' ']) : String.fromCharCode(Math.floor(rng.next() * 256));
  return body;
}

function chunked(rng: Prng, body: string, eol: string): string {
  let out = '';
  let at = 0;
  while (at < body.length) {
    const size = Math.min(body.length - at, 1 + Math.floor(rng.next() * 12));
    const hex = size.toString(16);
    const variant = rng.next();
    const sizeText =
      variant < 0.1
        ? hex.toUpperCase()
        : variant < 0.15
          ? `${hex};ext=1`
          : variant < 0.18
            ? `0${hex}`
            : variant < 0.2
              ? ` ${hex}`
              : variant < 0.22
                ? `${hex} `
                : hex;
    out += `${sizeText}${eol}${body.slice(at, at + size)}${rng.next() < 0.05 ? 'XX' : eol}`;
    at += size;
  }
  const end = rng.pick([
    '0\r\n\r\n',
    '0\n\n',
    '0\r\nX-Trailer: 1\r\n\r\n',
    '0\r\n',
    '',
    '0\r\nX: y',
    'zz\r\n',
    'ffffffffffffffffff\r\nab\r\n',
    '00\r\n\r\n',
  ]);
  return out + end;
}

/** `count` raw responses (latin1 strings: one char per byte), from `seed`. */
export function randomResponses(seed: number, count: number): string[] {
  const rng = new Prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const eol = rng.next() < 0.15 ? '\n' : '\r\n';
    const body = Buffer.from(randomBody(rng), 'latin1').toString('latin1');
    const headers = Array.from({ length: Math.floor(rng.next() * 3) }, () => rng.pick(HEADERS));
    const framing = rng.next();
    let payload = body;
    if (framing < 0.3) headers.push(`Content-Length: ${body.length}`);
    else if (framing < 0.4) headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length}`);
    else if (framing < 0.47) headers.push(`Content-Length: ${body.length + 3}`, `content-length: ${body.length}`);
    else if (framing < 0.52) headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 5}`);
    else if (framing < 0.57) headers.push(`Content-Length: ${Math.max(0, body.length - 4)}`);
    else if (framing < 0.62) headers.push(`Content-Length: ${body.length + 7}`);
    else if (framing < 0.7) headers.push(`Content-Length: ${rng.pick(BAD_LENGTHS).replace(/\{n\}/g, String(body.length))}`);
    else if (framing < 0.8) {
      headers.push(rng.pick(['Transfer-Encoding: chunked', 'transfer-encoding: Chunked', 'Transfer-Encoding:chunked']));
      if (rng.next() < 0.2) headers.push(`Content-Length: ${body.length}`);
      payload = chunked(rng, body, eol === '\n' || rng.next() < 0.1 ? '\n' : '\r\n');
    } else if (framing < 0.9) {
      // A list of codings, sometimes over two headers, with or without a Content-Length.
      const value = rng.pick(TRANSFER_CODINGS);
      if (rng.next() < 0.2) headers.push(`Transfer-Encoding: ${rng.pick(TRANSFER_CODINGS)}`);
      headers.push(`Transfer-Encoding: ${value}`);
      if (rng.next() < 0.3) headers.push(`Content-Length: ${Math.max(0, body.length - 2)}`);
      const isChunked = headers.some((h) => /^transfer-encoding:/i.test(h) && /(^|[:,])[ \t]*chunked[ \t]*(,|$)/i.test(h));
      if (isChunked) payload = chunked(rng, body, '\r\n');
    }
    // else: no length, read until the connection closes
    for (let k = headers.length - 1; k > 0; k--) {
      const j = Math.floor(rng.next() * (k + 1));
      [headers[k], headers[j]] = [headers[j] as string, headers[k] as string];
    }
    let response = `${rng.pick(INTERIM)}${rng.pick(STATUS_LINES)}${eol}${headers.map((h) => `${h}${eol}`).join('')}${eol}${payload}`;
    if (rng.next() < 0.08) response = response.slice(0, Math.floor(rng.next() * response.length));
    out.push(response);
  }
  return out;
}

/** Hand-written responses: the contract's examples and curl's limits. */
export function edgeResponses(): string[] {
  const big = (n: number): string => `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(n)}\r\nContent-Length: 2\r\n\r\nab`;
  return [
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc',
    'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 2\r\n\r\nabc',
    'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.0 200 OK\r\n\r\nabcdef',
    'hello world',
    'abc',
    'HTT',
    '',
    'HTTP/1.1 200 OK',
    'HTTP/1.1 200 OK\r\n',
    'HTTP/1.1 100 Continue\r\n\r\n',
    'HTTP/1.1 100 Continue\r\n\r\nabcdefg',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.1 101 Switching\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.1 200 OK\nContent-Length: 2\n\nab',
    'HTTP/1.1 200 OK\rContent-Length: 2\r\r\nab',
    'HTTP/1.1 200 OK\r\n\0X: a\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\0X: a\r\n\r\nab',
    'HTTP/1.1 200 OK\r\n X: a\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nA: b\r\n X: a\r\n\r\nab',
    'HTTP/1.1 200 OK\r\n folded\r\n\r\nab',
    'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nabcde',
    'HTTP/1.1 304 NM\r\nContent-Length: 5\r\n\r\n',
    'HTTP/1.1 204 No Content\r\nContent-Length: -1\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nab\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX: 1\nY: 2\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\rX',
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r',
    'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    big(102380),
    big(102390),
    big(102392),
    big(102393),
    big(102394),
    big(102395),
    big(102396),
    big(102400),
    `HTTP/1.1 200 OK\r\n${`X: ${'a'.repeat(8000)}\r\n`.repeat(40)}Content-Length: 2\r\n\r\nab`,
    `HTTP/1.1 100 Continue\r\n${`X: ${'a'.repeat(8000)}\r\n`.repeat(20)}\r\nHTTP/1.1 200 OK\r\n${`X: ${'a'.repeat(8000)}\r\n`.repeat(20)}Content-Length: 2\r\n\r\nab`,
    'HTTP/2 2000\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/20 200\r\nContent-Length: 2\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nextra',
    'HTTP/1.1 200 OK\r\n\r\n',
    '\r\nHTTP/1.1 200 OK\r\n\r\n',
    // 101 with no upgrade asked for: the rest is the body, read to the close; none is 52
    'HTTP/1.1 101 Switching Protocols\r\n\r\n',
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nabc',
    'HTTP/1.1 101 Switching\r\nContent-Length: 3\r\n\r\nabcdef',
    'HTTP/1.1 101 Switching\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 101 Switching\r\nTransfer-Encoding: foo\r\n\r\nabc',
    'HTTP/1.1 101 Switching\r\nTransfer-Encoding: gzip\r\n\r\nabc',
    'HTTP/1.1 102 Processing\r\n\r\n',
    'HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 101 Switching\r\n\r\nab',
    // Transfer-Encoding: curl's list of codings
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 2\r\n\r\nabc',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nabc',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\nContent-Length: 0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: foo, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked;q=1\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: a, b, c, d, e, f\r\n\r\nab',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: a, b, c\r\nTransfer-Encoding: d, e, chunked\r\n\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: a, b, c\r\nTransfer-Encoding: d, e, f\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\nContent-Length: 1\r\n\r\nabc',
    'HTTP/1.1 100 Continue\r\nTransfer-Encoding: foo\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab',
  ];
}
