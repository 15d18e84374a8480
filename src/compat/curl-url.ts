// curl 7.88.1's reading of a URL (docs/behaviour.md §9, §4.7, §6 a): the request it sends
// for the URL (its globs, scheme, host, port, path and query; the request line, Host,
// Authorization, User-Agent and Accept headers), or the refusal it prints instead. The
// originals run curl for the router's URL checks and the watcher's peer GETs and Telegram
// POSTs; src/http/client.ts sends what this reads. Checked against the real curl by
// test/differential/curl-url.test.ts (URLs, hosts, locales) and
// test/differential/numbers.test.ts (PEERS_PORT in a URL). Pure functions only.
import { domainToASCII, domainToUnicode } from 'node:url';
import { encode, toLatin1 } from '../bytes.ts';
import type { CurlFailure } from './curl-errors.ts';

/** The User-Agent curl 7.88.1 sends (the originals never pass -A). */
export const CURL_USER_AGENT = 'curl/7.88.1';

/** Where a request goes and what it asks for, as curl would send it. */
export interface RequestTarget {
  readonly https: boolean;
  /**
   * The host as curl names it in the Host header and its messages, a latin1 string of bytes:
   * IPv4 in curl's dotted form, IPv6 without brackets (written shorter when inet_ntop's form
   * is shorter), a name percent-decoded with `%` as `%25`, in punycode when it had non-ASCII.
   */
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
  /** The zone of an IPv6 literal (`[fe80::1%25eth0]`): not in the Host header, used to connect. */
  readonly zone?: string;
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
 * `[...]` holding an IPv6 literal (or nothing) is text to curl, wherever it stands: it reads
 * the bracket as the host of a URL of its own before reading it as a range (so `/`, `?`,
 * `#`, `@` or a blank in it make it a range), and `[]` stays as it is.
 */
function isBracketLiteral(inner: string): boolean {
  if (inner === '') return true;
  if (Buffer.byteLength(inner) + 2 >= 128 || /[/?#@\x00-\x20\x7f]/.test(inner)) return false;
  return readIpv6(inner) !== null;
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

// ---- the host (curl 7.88's urlapi.c, observed against the real curl)

/**
 * curl's ipv4_normalize: 1 to 4 numbers (C's strtoul in base 0: `0x` hex, `0` octal), dot
 * separated, the last filling the bytes left (`127.1`, `0x7f.1`, `2130706433`). The dotted
 * form, or null for anything else (`1.2.3.4.5`, `08.1`, `256.1.1.1`, `127.0.0.1.`): a name,
 * looked up through NSS as written.
 */
export function curlIpv4(host: string): string | null {
  const parts: number[] = [];
  let rest = host;
  for (;;) {
    const number = /^(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))/.exec(rest);
    if (!number) return null;
    const [text, hex, octal, decimal] = number;
    const value = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o0${octal}`) : BigInt(decimal as string);
    if (value > 0xffffffffn) return null;
    parts.push(Number(value));
    rest = rest.slice(text.length);
    if (rest === '') break;
    if (rest[0] !== '.' || parts.length === 4) return null;
    rest = rest.slice(1);
  }
  // The last number fills the bytes the others leave: a, a.b (8.24 bits), a.b.c (8.8.16), a.b.c.d.
  const lastBytes = 5 - parts.length;
  const last = parts.pop() as number;
  if (parts.some((part) => part > 0xff) || last >= 2 ** (8 * lastBytes)) return null;
  const bytes = [...parts];
  for (let k = lastBytes - 1; k >= 0; k--) bytes.push(Math.floor(last / 2 ** (8 * k)) % 256);
  return bytes.join('.');
}

/** glibc's inet_pton for IPv4 inside IPv6: four decimal bytes, no leading zero. */
function inetPton4(text: string): number[] | null {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255)) return null;
  return octets.map(Number);
}

/** glibc's inet_pton for IPv6: the eight 16-bit words, or null. */
function inetPton6(text: string): number[] | null {
  const words: number[] = [];
  let gap = -1;
  let i = 0;
  if (text[0] === ':') {
    if (text[1] !== ':') return null;
    i = 1;
  }
  let token = i;
  let digits = 0;
  let value = 0;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (/[0-9a-fA-F]/.test(c)) {
      if (++digits > 4) return null;
      value = value * 16 + parseInt(c, 16);
    } else if (c === ':') {
      token = i + 1;
      if (digits === 0) {
        if (gap >= 0) return null;
        gap = words.length;
        continue;
      }
      if (i + 1 >= text.length || words.length >= 8) return null;
      words.push(value);
      value = 0;
      digits = 0;
    } else if (c === '.' && words.length <= 6) {
      const v4 = inetPton4(text.slice(token));
      if (!v4) return null;
      words.push((v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number));
      digits = 0;
      break;
    } else {
      return null;
    }
  }
  if (digits > 0) {
    if (words.length >= 8) return null;
    words.push(value);
  }
  if (gap >= 0) {
    if (words.length === 8) return null;
    words.splice(gap, 0, ...new Array<number>(8 - words.length).fill(0));
  }
  return words.length === 8 ? words : null;
}

/** glibc's inet_ntop for IPv6: the longest run of zero words as `::`, IPv4 tails dotted. */
function inetNtop6(words: readonly number[]): string {
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      const [a, b] = [words[6] as number, words[7] as number];
      return `${out}${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
    }
    out += (words[i] as number).toString(16);
  }
  return best.base >= 0 && best.base + best.len === 8 ? `${out}:` : out;
}

/**
 * An IPv6 literal (between the brackets) as curl's ipv6_parse reads it: the address as curl
 * names it (inet_ntop's form only when it is shorter than the one written) and its zone
 * (`%25` or `%`, then 1 to 15 bytes), or null when curl refuses it.
 */
function readIpv6(inner: string): { readonly name: string; readonly zone?: string } | null {
  if (inner.length < 2) return null;
  const end = (/^[0-9a-fA-F:.]*/.exec(inner) as RegExpExecArray)[0].length;
  const address = inner.slice(0, end);
  let zone: string | undefined;
  if (end < inner.length) {
    if (inner[end] !== '%') return null;
    zone = inner.slice(end + 1);
    if (zone.startsWith('25') && zone.length > 2) zone = zone.slice(2);
    if (zone === '' || Buffer.byteLength(zone) > 15) return null;
  }
  const words = inetPton6(address);
  if (!words) return null;
  const shorter = inetNtop6(words);
  const name = shorter.length < address.length ? shorter : address;
  return zone === undefined ? { name } : { name, zone };
}

/** The bytes curl refuses in a host name once it is decoded (`%` is not among them). */
const BAD_HOST_BYTE = /[ \r\n\t/:#?!@{}[\]\\$'"^`*<>=;,+&()]/;

/** libidn2's hyphen rules: no `-` at either end of a label, nor `--` as its 3rd and 4th. */
const BAD_HYPHENS = /^-|-$|^..--/;

/**
 * One label as libidn2 (UTS #46, non-STD3) looks it up. ASCII: lowercased, other bytes
 * kept (`a~b`, `a|b`), an `xn--` one must decode. Non-ASCII: WHATWG's domain to ASCII (the
 * same mapping and checks), with no ASCII other than letters, digits, `-` and `_`. Both:
 * libidn2's hyphen rules on the Unicode form, at most 63 bytes. Null when it refuses it.
 */
function idnLabel(label: string): string | null {
  let ascii: string;
  if (/^[\x00-\x7f]*$/.test(label)) {
    ascii = label.toLowerCase();
    if (ascii.startsWith('xn--') && domainToASCII(`${ascii}.a`) === '') return null;
  } else {
    // WHATWG's host reading would take a name ending in a number for IPv4: a label of our
    // own after it (dropped again) keeps it a name, as it is for libidn2.
    const converted = domainToASCII(`${label}.a`);
    if (!converted.endsWith('.a')) return null;
    ascii = converted.slice(0, -2);
  }
  const unicode = ascii.startsWith('xn--') ? domainToUnicode(`${ascii}.a`).slice(0, -2) : ascii;
  const parts = unicode.split('.');
  if (parts.some((part) => BAD_HYPHENS.test(part)) || ascii.split('.').some((part) => part.length > 63)) return null;
  // In a label that needs punycode, libidn2 takes no ASCII but letters, digits, `-` and `_`.
  if (parts.some((part) => /[^\x00-\x7f]/.test(part) && /[\x00-\x2c./:-@[-^`{-\x7f]/.test(part))) return null;
  return ascii;
}

/**
 * libidn2's lookup of a name, as curl 7.88 runs it for a host with non-ASCII bytes under a
 * UTF-8 locale: label by label, non-transitional first, then transitional (the four
 * deviations mapped as IDNA2003 did). The punycode name, or null when it refuses it.
 */
function idnToAscii(name: string): string | null {
  const convert = (text: string): string | null => {
    const labels = text.split('.').map(idnLabel);
    return labels.some((label) => label === null) ? null : labels.join('.');
  };
  const out =
    convert(name) ??
    convert(
      name
        .replace(/[ßẞ]/g, 'ss')
        .replace(/ς/g, 'σ')
        .replace(/[\u200c\u200d]/g, ''),
    );
  return out !== null && out.length <= 255 ? out : null;
}

/**
 * A host name as curl 7.88's urlapi reads it: percent-decoded (a byte below 0x20 refused),
 * checked for the bytes curl refuses, `%` written back as `%25`. A latin1 string, or null.
 */
function readHostName(raw: string): string | null {
  const decoded = percentDecode(raw);
  const text = decoded.toString('latin1');
  if (decoded.some((byte) => byte < 0x20) || BAD_HOST_BYTE.test(text)) return null;
  return text.replace(/%/g, '%25');
}

/**
 * A name with non-ASCII bytes goes out in punycode, as curl's libidn2 converts it: only
 * under a UTF-8 locale (in any other curl refuses it, code 3) and when it is valid UTF-8.
 */
function idnHost(name: string, utf8Locale: () => boolean): string | null {
  if (/^[\x00-\x7f]*$/.test(name)) return name;
  if (!utf8Locale()) return null;
  try {
    return idnToAscii(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(name, 'latin1')));
  } catch {
    return null;
  }
}

/**
 * The names curl 7.88 resolves itself, to 127.0.0.1 then ::1, without asking NSS:
 * `localhost` and any name ending in `.localhost`, in any case (not `localhost.`).
 */
export function isCurlLocalhost(hostname: string): boolean {
  return /^localhost$|\.localhost$/i.test(hostname);
}

/** The addresses curl gives `localhost` and `*.localhost`, in its order. */
export const CURL_LOCALHOST: readonly (readonly [string, 4 | 6])[] = [
  ['127.0.0.1', 4],
  ['::1', 6],
];

export interface ReadOptions {
  /** Whether the locale curl would run under is UTF-8 (it then converts IDN host names). */
  readonly utf8Locale?: () => boolean;
}

/**
 * Reads a URL as curl 7.88 does (pure): the target it would request, or why it refuses the
 * URL. A scheme is `<letters, digits, + - .>:/` (one to three slashes); none means http (or
 * the protocol a host prefix suggests); the host is read as curl's urlapi reads it (IPv4
 * forms normalised, IPv6 with its zone, names percent-decoded, IDN to punycode); the path
 * goes out as written with bytes outside printable ASCII percent-encoded and dot segments
 * removed, the query as written, the fragment dropped, `user:pass@` sent as Basic auth.
 */
export function readTarget(given: string, options: ReadOptions = {}): UrlReading {
  // [D29] A glob with one expansion is that URL, as for curl; several are refused.
  const glob = curlGlob(given);
  if (glob.kind !== 'one') return MALFORMED;
  const url = glob.url;
  if (/[\x00-\x20\x7f]/.test(url)) return MALFORMED;
  // curl's Curl_is_absolute_url with a guessed scheme: up to 40 scheme bytes, then `:/`.
  const scheme = /^([A-Za-z0-9+.-]{1,40}):(\/+)/.exec(url);
  if (scheme && (scheme[2] as string).length > 3) return MALFORMED;
  const rest = scheme ? url.slice(scheme[0].length) : url;
  const protocol = scheme ? (scheme[1] as string).toLowerCase() : guessScheme(rest);
  const greeting = isGreetingProtocol(protocol) ? protocol : undefined;
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.indexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const bracket = /^\[([^\]]*)\](.*)$/.exec(hostPort);
  const colon = bracket ? -1 : hostPort.lastIndexOf(':');
  const rawHost = bracket ? (bracket[1] as string) : colon < 0 ? hostPort : hostPort.slice(0, colon);
  const portText = bracket ? (bracket[2] as string) : colon < 0 ? '' : hostPort.slice(colon);
  if (portText !== '' && !/^:\d*$/.test(portText)) return MALFORMED;
  // A colon without a port is the scheme's port, but only when there is a scheme.
  if (portText === ':' && !scheme) return MALFORMED;
  const https = protocol === 'https';
  const defaultPort = greeting !== undefined ? GREETING_PORTS[greeting] : https ? 443 : 80;
  const port = portText.length > 1 ? Number(portText.slice(1)) : defaultPort;
  if (port > 65535 || (rawHost === '' && !bracket)) return MALFORMED;
  const ipv6 = bracket ? readIpv6(rawHost) : null;
  if (bracket && !ipv6) return MALFORMED;
  const name = bracket ? null : (curlIpv4(rawHost) ?? readHostName(rawHost));
  if (!ipv6 && name === null) return MALFORMED;
  // An IDN name curl cannot convert is refused before the protocol is looked at.
  const hostname = ipv6 ? ipv6.name : idnHost(name as string, options.utf8Locale ?? (() => false));
  if (hostname === null) return MALFORMED;
  // [D39] Any other protocol curl speaks (ftps, gopher, dict, file, scp...) is one the port
  // lacks: curl's own line for a libcurl built without it, as for a name curl does not know.
  if (protocol !== 'http' && protocol !== 'https' && greeting === undefined)
    return { kind: 'refused', failure: { code: 1, message: `Protocol "${protocol}" not supported or disabled in libcurl` } };
  let target = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const query = target.indexOf('?');
  const pathPart = query < 0 ? target : target.slice(0, query);
  const search = query < 0 ? '' : target.slice(query);
  const path = encodePath(removeDotSegments(pathPart.startsWith('/') ? pathPart : `/${pathPart}`)) + toLatin1(search); // the query's bytes as they are
  const result: RequestTarget = {
    https,
    hostname,
    port,
    path,
    ...(ipv6?.zone !== undefined ? { zone: ipv6.zone } : {}),
    ...(greeting !== undefined ? { greeting } : {}),
  };
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

/** The request head curl 7.88 sends for this target (latin1: one char per byte). */
export function requestHead(
  target: RequestTarget,
  method: string,
  headers: ReadonlyArray<readonly [string, string]>,
  bodyLength?: number,
): Buffer {
  const lines = [`${method} ${target.path} HTTP/1.1`, `Host: ${hostHeader(target)}`];
  const ownAuth = headers.some(([name]) => name.toLowerCase() === 'authorization');
  if (target.auth !== undefined && !ownAuth) lines.push(`Authorization: Basic ${target.auth.toString('base64')}`);
  lines.push(`User-Agent: ${CURL_USER_AGENT}`, 'Accept: */*');
  for (const [name, value] of headers) lines.push(`${name}: ${toLatin1(value)}`);
  if (bodyLength !== undefined) lines.push(`Content-Length: ${bodyLength}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
