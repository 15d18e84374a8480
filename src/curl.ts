// What curl 7.88 would do, in one place (docs/behaviour.md §9, §4.7, §6 a). The originals run curl
// for the router's URL checks and the watcher's peer GETs and Telegram POSTs; the port keeps
// curl's reading of a URL (the request line and headers it sends), the code it reports
// (`-w '%{http_code}'`), and the error lines `curl -sS` prints. The reading of responses is
// src/http/reader.ts (curl's tolerance, over raw sockets); src/http/client.ts is the HTTP
// client that uses both. Pure functions only.
import { encode, toLatin1 } from './bytes.ts';
import { strtod } from './cnumber.ts';

/** The User-Agent curl 7.88.1 sends (the originals never pass -A). */
export const CURL_USER_AGENT = 'curl/7.88.1';

/** Where a request goes and what it asks for, as curl would send it. */
export interface RequestTarget {
  readonly https: boolean;
  /** Host as curl uses it (IPv4 shorthand normalised, IPv6 without brackets). */
  readonly hostname: string;
  readonly port: number;
  /** The request target exactly as sent (path and query). */
  readonly path: string;
  /** `user:pass` from the URL (percent-decoded), sent as Basic auth. */
  readonly auth?: Buffer;
  /**
   * Set for a protocol whose server speaks first (curl's FTP, IMAP, POP3, SMTP): curl sends
   * nothing and waits for the greeting, and so does the port, no further (D39).
   */
  readonly greeting?: GreetingProtocol;
}

/** curl's protocols that start by reading the server's greeting, with their default ports. */
export const GREETING_PORTS = { ftp: 21, imap: 143, pop3: 110, smtp: 25 } as const;
export type GreetingProtocol = keyof typeof GREETING_PORTS;

const isGreetingProtocol = (protocol: string): protocol is GreetingProtocol => Object.hasOwn(GREETING_PORTS, protocol);

/** A URL as curl reads it: the request it would send, or why it refuses the URL. */
export type UrlReading =
  | { readonly kind: 'target'; readonly target: RequestTarget }
  /** Refused before connecting: curl's exit code and message. */
  | { readonly kind: 'refused'; readonly failure: CurlFailure };

const MALFORMED: UrlReading = { kind: 'refused', failure: { code: 3, message: 'URL using bad/illegal format or missing URL' } };

/** curl's `-w '%{http_code}'`: at least three digits, zero-padded. */
export function httpCode(status: number): string {
  return String(status).padStart(3, '0');
}

/**
 * RFC 3986 remove_dot_segments, as curl applies it to the path (never to the query):
 * `/a/..` gives `/`, `/a/.` gives `/a/`.
 */
export function removeDotSegments(path: string): string {
  if (!/(^|\/)\.\.?(\/|$)/.test(path)) return path;
  const output: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (segment === '.') {
      if (last) output.push('');
    } else if (segment === '..') {
      output.pop();
      if (last) output.push('');
    } else {
      output.push(segment);
    }
  }
  return `/${output.join('/')}`;
}

/**
 * What curl 7.88 makes of the globs in a URL (the originals never pass -g): `{a,b}` sets
 * and `[1-3]`, `[a-c]`, `[01-10]` ranges with an optional `:step`, several per URL. A URL
 * without any is one expansion of itself.
 */
export type CurlGlob =
  /** Exactly one URL to fetch (`http://h/{a}` is `http://h/a`). */
  | { readonly kind: 'one'; readonly url: string }
  /** Several transfers, one after another, whose output runs together [D29]. */
  | { readonly kind: 'many' }
  /** curl refuses the pattern (`bad range`, `unmatched brace`...): code 000. */
  | { readonly kind: 'broken' };

/** One glob of a URL: its first expansion and how many there are. */
interface GlobPart {
  readonly first: string;
  readonly count: number;
}

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * `[...]` holding an IPv6 literal (or nothing) is text to curl, wherever it stands: it tries
 * the bracket as a host before reading it as a range.
 */
function isBracketLiteral(inner: string): boolean {
  if (inner === '') return true;
  if (inner.length >= 128 || !inner.includes(':')) return false;
  try {
    // WHATWG's IPv6 reading (no node:net here: the router loads it only to connect).
    new URL(`http://[${inner.replace(/%.*$/, '')}]/`);
    return true;
  } catch {
    return false;
  }
}

/** `{a,b}` from just after `{`: the set, and where the text goes on; null when curl refuses it. */
function readSet(url: string, start: number): { part: GlobPart; end: number } | null {
  const items: string[] = [];
  let item = '';
  for (let i = start; i < url.length; i++) {
    const c = url[i] as string;
    if (c === '\\') {
      // Inside a set a backslash takes the next character as it is, whatever it is.
      if (i + 1 >= url.length) return null;
      item += url[++i];
    } else if (c === ',' || c === '}') {
      items.push(item);
      item = '';
      if (c === '}')
        return items.length === 1 && items[0] === '' ? null : { part: { first: items[0] as string, count: items.length }, end: i + 1 };
    } else if (c === '{' || c === '[' || c === ']') {
      return null;
    } else {
      item += c;
    }
  }
  return null;
}

/**
 * The range between `[` and `]` (pure): `a-c` (one letter each), `1-10` or `01-10` (the
 * first number's width pads every value), each with an optional `:step`. curl takes the
 * step only when it is 1 or fits in the range; null when it refuses the range.
 */
function readRange(inner: string): GlobPart | null {
  const letters = /^([A-Za-z])-([A-Za-z])(?::[ \t]*\+?(\d+))?$/.exec(inner);
  const numbers = /^(\d+)-[ \t]*(\d+)(?::[ \t]*\+?(\d+))?$/.exec(inner);
  const match = letters ?? numbers;
  if (!match) return null;
  const [, lowText, highText, stepText] = match as unknown as [string, string, string, string | undefined];
  const low = letters ? BigInt(lowText.charCodeAt(0)) : BigInt(lowText);
  const high = letters ? BigInt(highText.charCodeAt(0)) : BigInt(highText);
  const step = stepText === undefined ? 1n : BigInt(stepText);
  if (low > ULONG_MAX || high > ULONG_MAX || low > high || step === 0n || (step > 1n && step > high - low)) return null;
  // The first value as written: `[01-10]` starts with `01`, and pads every value to that width.
  return { first: lowText, count: Number((high - low) / step + 1n) };
}

/** Reads a URL's globs as curl 7.88 does (pure). */
export function curlGlob(url: string): CurlGlob {
  let text = '';
  let count = 1;
  for (let i = 0; i < url.length; i++) {
    const c = url[i] as string;
    if (c === '\\' && /[{}[\]]/.test(url[i + 1] ?? '')) {
      // Outside a glob only a backslash before a brace or bracket escapes it.
      text += url[++i];
    } else if (c === '{') {
      const set = readSet(url, i + 1);
      if (!set) return { kind: 'broken' };
      text += set.part.first;
      count *= set.part.count;
      i = set.end - 1;
    } else if (c === '[') {
      const close = url.indexOf(']', i);
      const inner = close < 0 ? null : url.slice(i + 1, close);
      if (inner !== null && isBracketLiteral(inner)) {
        text += `[${inner}]`;
      } else {
        const range = inner === null ? null : readRange(inner);
        if (!range) return { kind: 'broken' };
        text += range.first;
        count *= range.count;
      }
      i = close;
    } else if (c === '}' || c === ']') {
      return { kind: 'broken' };
    } else {
      text += c;
    }
  }
  return count === 1 ? { kind: 'one', url: text } : { kind: 'many' };
}

/** The protocol curl guesses for a URL without `scheme://` (its host-name prefixes). */
function guessScheme(rest: string): string {
  const host = rest.replace(/^[^/?#]*@/, '').toLowerCase();
  for (const proto of ['ftp', 'dict', 'ldap', 'imap', 'smtp', 'pop3']) if (host.startsWith(`${proto}.`)) return proto;
  return 'http';
}

/** Bytes above 0x7e in the path as `%xx` (lowercase hex, curl's way); the rest as written. */
function encodePath(path: string): string {
  let out = '';
  for (const byte of encode(path)) {
    out += byte > 0x7e ? `%${byte.toString(16).padStart(2, '0')}` : String.fromCharCode(byte);
  }
  return out;
}

/** curl's percent-decoding of userinfo: a `%` not followed by two hex digits stays. */
function percentDecode(text: string): Buffer {
  const bytes = encode(text);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const hex = byte === 0x25 ? bytes.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(byte);
    }
  }
  return Buffer.from(out);
}

/**
 * Reads a URL as curl 7.88 does (pure): the target it would request, or why it refuses the
 * URL. No scheme means http (or the protocol a host prefix suggests),
 * the host is used as written (IPv4 shorthand normalised), the path goes out as written
 * with bytes outside printable ASCII percent-encoded and dot segments removed, the query as
 * written, the fragment dropped, `user:pass@` sent as Basic auth.
 */
export function readTarget(given: string): UrlReading {
  // [D29] A glob with one expansion is that URL, as for curl; several are refused.
  const glob = curlGlob(given);
  if (glob.kind !== 'one') return MALFORMED;
  const url = glob.url;
  if (/[\x00-\x20\x7f]/.test(url)) return MALFORMED;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  let rest = scheme ? url.slice(scheme[0].length) : url;
  const protocol = scheme ? (scheme[1] as string).toLowerCase() : guessScheme(rest);
  const greeting = isGreetingProtocol(protocol) ? protocol : undefined;
  // [D39] Any other protocol curl speaks (ftps, gopher, dict, file, scp...) is one the port
  // lacks: curl's own line for a libcurl built without it, as for a name curl does not know.
  if (protocol !== 'http' && protocol !== 'https' && greeting === undefined)
    return { kind: 'refused', failure: { code: 1, message: `Protocol "${protocol}" not supported or disabled in libcurl` } };
  // curl skips extra slashes after `scheme://` (`http:///x` asks host x).
  if (scheme) rest = rest.replace(/^\/+/, '');
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.indexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const bracket = /^(\[[^\]]*\])(.*)$/.exec(hostPort);
  const colon = bracket ? -1 : hostPort.lastIndexOf(':');
  const rawHost = bracket ? (bracket[1] as string) : colon < 0 ? hostPort : hostPort.slice(0, colon);
  const portText = bracket ? (bracket[2] as string) : colon < 0 ? '' : hostPort.slice(colon);
  if (portText !== '' && !/^:\d*$/.test(portText)) return MALFORMED;
  const https = protocol === 'https';
  const defaultPort = greeting !== undefined ? GREETING_PORTS[greeting] : https ? 443 : 80;
  const port = portText.length > 1 ? Number(portText.slice(1)) : defaultPort;
  if (port > 65535) return MALFORMED;
  if (rawHost === '' || /[\s/:#?!@{}\\$'"^`*<>=;,+&()%[\]]/.test(bracket ? '' : rawHost)) return MALFORMED;
  let hostname: string;
  try {
    // WHATWG's host reading agrees with curl's for IP literals and IPv4 shorthand (127.1).
    hostname = new URL(`http://${rawHost}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return MALFORMED;
  }
  if (!bracket && !/^[\x21-\x7e]+$/.test(rawHost)) return MALFORMED;
  // curl normalises only what it reads as IPv4 (1-4 numeric parts, C's strtoul base 0, no
  // empty part: `127.0.0.1.` is a name, looked up through NSS); any other host as written.
  if (!bracket && !/^(0x[0-9a-f]+|\d+)(\.(0x[0-9a-f]+|\d+)){0,3}$/i.test(rawHost)) hostname = rawHost;
  let target = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const query = target.indexOf('?');
  const pathPart = query < 0 ? target : target.slice(0, query);
  const search = query < 0 ? '' : target.slice(query);
  const path = encodePath(removeDotSegments(pathPart.startsWith('/') ? pathPart : `/${pathPart}`)) + toLatin1(search); // the query's bytes as they are
  const result: RequestTarget = { https, hostname, port, path, ...(greeting !== undefined ? { greeting } : {}) };
  if (userinfo === undefined) return { kind: 'target', target: result };
  const sep = userinfo.indexOf(':');
  const user = sep < 0 ? userinfo : userinfo.slice(0, sep);
  const pass = sep < 0 ? '' : userinfo.slice(sep + 1);
  return { kind: 'target', target: { ...result, auth: Buffer.concat([percentDecode(user), Buffer.from(':'), percentDecode(pass)]) } };
}

/** The Host header curl sends: the port only when it is not the scheme's default. */
export function hostHeader(target: RequestTarget): string {
  const host = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
  return target.port === (target.https ? 443 : 80) ? host : `${host}:${target.port}`;
}

/** Why a transfer failed, in curl's terms: its exit code and message. */
export interface CurlFailure {
  readonly code: number;
  readonly message: string;
}

/** The line `curl -sS` prints for a failure (without newline). */
export function curlErrorLine(failure: CurlFailure): string {
  return `curl: (${failure.code}) ${failure.message}`;
}

/**
 * After a certificate error (60) `curl -sS` prints this advice (recorded from curl 7.88.1
 * on Debian 12), so a failure's output is the error line, then these lines.
 */
export const CERT_ADVICE =
  'More details here: https://curl.se/docs/sslcerts.html\n' +
  '\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the web page mentioned above.';

/** Everything `curl -sS` prints on stderr for a failure (lines without the final newline). */
export function curlErrorText(failure: CurlFailure): string {
  const line = curlErrorLine(failure);
  return failure.code === 60 ? `${line}\n${CERT_ADVICE}` : line;
}

/** OpenSSL's verify results as curl words them after `SSL certificate problem: `. */
export const TLS_ERRORS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to get local issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
};

/** Where the transfer was when a socket error came (curl's message depends on it). */
export interface TransferStage {
  readonly host: string;
  readonly port: number;
  readonly ms: number;
  readonly connected: boolean;
}

/**
 * curl's failure when --max-time runs out (28): before the connection was made, or during
 * the transfer with what had arrived (and the announced size, when there was one).
 */
export function timeoutFailure(ms: number, connected: boolean, received: number, size: number | undefined): CurlFailure {
  if (!connected) return { code: 28, message: `Connection timed out after ${ms} milliseconds` };
  const of = size !== undefined ? ` out of ${size}` : '';
  return { code: 28, message: `Operation timed out after ${ms} milliseconds with ${received}${of} bytes received` };
}

/**
 * curl's failure when the server closes the connection while curl waits for its greeting (FTP,
 * IMAP, POP3, SMTP): the errno it shows is a stale one, EINPROGRESS (115) left by its
 * non-blocking connect, or EAGAIN (11) once an earlier read had found bytes and then nothing
 * more (recorded from curl 7.88.1 against loopback listeners).
 */
export function greetingClosedFailure(receivedBytes: number): CurlFailure {
  return { code: 56, message: `response reading failed (errno: ${receivedBytes > 0 ? 11 : 115})` };
}

/** Maps a Node socket/TLS/DNS error to the failure curl 7.88 reports for the same event. */
export function socketFailure(err: NodeJS.ErrnoException, stage: TransferStage): CurlFailure {
  const code = err.code ?? '';
  const { host, port, ms, connected } = stage;
  // Any failure of the name lookup (NSS, as curl's) is curl's "could not resolve".
  if (err.syscall === 'getaddrinfo') return { code: 6, message: `Could not resolve host: ${host}` };
  const connectFailure = ['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
  if (connectFailure || (!connected && ['EADDRNOTAVAIL', 'ETIMEDOUT', 'EINVAL', 'EACCES', 'EPERM'].includes(code))) {
    return { code: 7, message: `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return { code: 6, message: `Could not resolve host: ${host}` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { code: 56, message: 'Recv failure: Connection reset by peer' };
  const tls = TLS_ERRORS[code];
  if (tls !== undefined) return { code: 60, message: `SSL certificate problem: ${tls}` };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { code: 60, message: `SSL: no alternative certificate subject name matches target host name '${host}'` };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { code: 35, message: err.message };
  return { code: 56, message: `Recv failure: ${err.message}` };
}

/** curl 7.88's complaint about an `-m` value it refuses (the text after `curl: option -m: `). */
export type MaxTimeComplaint = 'too large number' | 'expected a proper numerical parameter' | 'expected a positive numerical parameter';

/** `-m` as curl reads it: the limit in whole milliseconds (0: none), or why curl refuses it. */
export type CurlMaxTime = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly complaint: MaxTimeComplaint };

const CURL_MAX_TIMEOUT = 2 ** 63 / 1000; // curl 7.88: (double)LONG_MAX / 1000 (LONG_MAX rounds up to 2^63 as a double)

/**
 * TIMEOUT as curl 7.88 reads `-m` (str2udouble, in this order): glibc strtod overflowing or
 * underflowing (ERANGE), or above LONG_MAX/1000 (`inf`), is `too large number`, even before a
 * tail; then strtod must have read all of the text (leading blanks, a sign, decimal or hex
 * digits, an exponent, `nan`); then a value below 0 is `expected a positive numerical
 * parameter` (`-0` is 0). curl then sets `(long)(timeout * 1000)` milliseconds. D14: the
 * programs refuse at start-up exactly what curl refuses here.
 */
export function curlMaxTime(text: string): CurlMaxTime {
  const { value, end, range } = strtod(text);
  if (range || value > CURL_MAX_TIMEOUT) return { ok: false, complaint: 'too large number' };
  if (end === 0 || end !== text.length) return { ok: false, complaint: 'expected a proper numerical parameter' };
  if (value < 0) return { ok: false, complaint: 'expected a positive numerical parameter' };
  // 0 ms is no limit; so are NaN (`-m nan`: curl 7.88 waits for ever) and a product no long holds.
  const ms = Math.trunc(value * 1000);
  return { ok: true, ms: ms > 0 && ms < 2 ** 63 ? ms : 0 };
}
