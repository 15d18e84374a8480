// curl 7.88.1's reading of an HTTP/1 response (docs/behaviour.md §9), for the outbound client
// (src/http/client.ts): the router's URL checks and the watcher's peer GETs and Telegram POSTs
// alike. Node's parser refuses responses curl reads (the same Content-Length twice, a bare
// LF, odd header bytes) and reads some curl refuses; the code a response gets and whether the
// transfer fails must be curl's, so this is curl's reading, written from its observed
// behaviour. Checked against the real curl on generated responses by
// test/differential/curl-response.test.ts. Pure: bytes in, status/body/outcome out.
import type { CurlFailure } from './curl-errors.ts';

/** curl keeps one header line in a buffer of 100 KiB (CURL_MAX_HTTP_HEADER). */
export const MAX_HEADER_LINE = 100 * 1024;
/** curl refuses responses whose headers (all of them, 1xx included) pass 300 KiB. */
export const MAX_HEADER_TOTAL = 300 * 1024;

type Phase = 'headers' | 'length' | 'chunked' | 'close' | 'done';
type ChunkState = 'hex' | 'lf' | 'data' | 'postlf' | 'trailer' | 'trailer-cr' | 'trailer-postcr' | 'stop';

const LF = 0x0a;
const CR = 0x0d;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isSpace = (c: number | undefined): boolean => c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);
const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

const fail = (code: number, message: string): CurlFailure => ({ code, message });
const chunkFailure = (what: string): CurlFailure => fail(56, `${what} in chunked-encoding`);

/** curl 7.88 stacks at most 5 codings (Transfer-Encoding names other than chunked). */
export const MAX_CODINGS = 5;

/** The compressions curl 7.88 decodes (D37) and its identity, aliases included; any other name fails. */
const COMPRESSIONS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'zstd']);
const IDENTITY = new Set(['identity', 'none']);

/** curl's failure when body bytes meet a coding it does not know. */
export const UNKNOWN_CODING = fail(
  61,
  'Unrecognized content encoding type. libcurl understands deflate, gzip, br, zstd content encodings.',
);

/**
 * [D37] The port does not decode compressed transfer codings (curl decodes gzip, deflate, br
 * and zstd): body bytes under one fail with curl's own text for code 61.
 */
export const UNDECODED_CODING = fail(61, 'Unrecognized or bad HTTP Content or Transfer-Encoding');

/**
 * The names of a Transfer-Encoding value as curl 7.88 splits it: blanks and commas skip,
 * a name runs to the next comma, white space at its end dropped (`gzip chunked` is one
 * name, `chunked;q=1` another).
 */
export function transferCodings(value: Buffer): string[] {
  const names: string[] = [];
  let i = 0;
  do {
    while (isBlank(value[i]) || value[i] === 0x2c) i++;
    const start = i;
    let length = 0;
    for (; i < value.length && value[i] !== 0x2c; i++) if (!isSpace(value[i])) length = i - start + 1;
    if (length > 0) names.push(value.subarray(start, start + length).toString('latin1'));
  } while (i < value.length);
  return names;
}

/**
 * C's `%<width>d` at `at` (0 = no width): skips white space, an optional sign and digits
 * within the width. The value and where it stopped, or null when no digit was read.
 */
function scanInt(s: Buffer, at: number, width: number): { value: number; next: number } | null {
  let i = at;
  while (isSpace(s[i])) i++;
  const start = i;
  const limit = width > 0 ? start + width : s.length;
  let negative = false;
  if (i < limit && (s[i] === 0x2b || s[i] === 0x2d)) {
    negative = s[i] === 0x2d;
    i++;
  }
  const digits = i;
  let value = 0;
  for (; i < limit && i < s.length && isDigit(s[i]); i++) value = Math.min(value * 10 + ((s[i] as number) - 0x30), 2 ** 31 - 1);
  if (i === digits) return null;
  return { value: negative ? -value : value, next: i };
}

/** The literal `text` at `at`, where it ends or -1 (C's sscanf matching is case-sensitive). */
function literal(s: Buffer, at: number, text: string): number {
  for (let k = 0; k < text.length; k++) if (s[at + k] !== text.charCodeAt(k)) return -1;
  return at + text.length;
}

/** A directive of a C scanf format: literal bytes, `%<width>d` (width 0: none), or `%c`. */
type Directive = { readonly literal: string } | { readonly width: number } | { readonly char: true };

/** curl's first scan of a status line, after its leading blanks: `HTTP/%1d.%1d%c%3d%c`. */
const STATUS_LINE: readonly Directive[] = [
  { literal: 'HTTP/' },
  { width: 1 },
  { literal: '.' },
  { width: 1 },
  { char: true },
  { width: 3 },
  { char: true },
];

/**
 * C's sscanf of `format` from `at`: the values of the conversions it made, in order, up to the
 * first directive that fails (their count is sscanf's return value). `%c` reads any byte
 * but the end of the string.
 */
function sscanf(s: Buffer, at: number, format: readonly Directive[]): number[] {
  const values: number[] = [];
  let i = at;
  for (const directive of format) {
    if ('literal' in directive) {
      i = literal(s, i, directive.literal);
      if (i < 0) break;
    } else if ('width' in directive) {
      const scanned = scanInt(s, i, directive.width);
      if (!scanned) break;
      values.push(scanned.value);
      i = scanned.next;
    } else {
      if (i >= s.length) break;
      values.push(s[i++] as number);
    }
  }
  return values;
}

/** A status line as curl reads it: the code `-w '%{http_code}'` prints, or curl's refusal. */
type StatusLine = { readonly kind: 'status'; readonly status: number } | { readonly kind: 'refused'; readonly failure: CurlFailure };

/**
 * curl 7.88's reading of a status line that begins with `HTTP/` in any case: the scan
 * `" HTTP/%1d.%1d%c%3d%c"`, the `HTTP/2 <n>` form, and the fallback that gives anything
 * else starting `http/` the code 200.
 */
export function readStatusLine(whole: Buffer): StatusLine {
  const nul = whole.indexOf(0);
  const line = nul < 0 ? whole : whole.subarray(0, nul);
  let i = 0;
  while (isSpace(line[i])) i++;
  const scanned = sscanf(line, i, STATUS_LINE);
  const nc = scanned.length;
  const [major = 0, minor = 0, separator = -1, code = 0, digit4 = -1] = scanned;
  if (nc === 1 && major >= 2) {
    // `HTTP/2 200`: the second scan `" HTTP/%1[23] %d"`.
    const after = literal(line, i, 'HTTP/');
    if (after >= 0 && (line[after] === 0x32 || line[after] === 0x33)) {
      const st = scanInt(line, after + 1, 0);
      if (st) {
        const version = 10 * major;
        if (version === 20) return { kind: 'status', status: st.value };
        return { kind: 'refused', failure: fail(1, `Unsupported HTTP version (${version / 10}.0) in response`) };
      }
    }
  } else if (isDigit(digit4) || (nc >= 4 && code < 100)) {
    return { kind: 'refused', failure: fail(1, 'Unsupported response code in HTTP response') };
  }
  if (nc >= 4 && separator === 0x20) {
    const version = 10 * major + minor;
    if (version === 10 || version === 11 || version === 20) return { kind: 'status', status: code };
    return { kind: 'refused', failure: fail(1, `Unsupported HTTP version (${Math.floor(version / 10)}.${version % 10}) in response`) };
  }
  // Anything else that starts with `http/` (the prefix was checked): curl takes it as 200.
  if (nc === 0) return { kind: 'status', status: 200 };
  return { kind: 'refused', failure: fail(1, 'Unsupported HTTP version in response') };
}

/** True when `bytes` could still be, or is, the start of `HTTP/` (any case). */
function looksLikeHttp(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, 5);
  return bytes.subarray(0, n).toString('latin1').toUpperCase() === 'HTTP/'.slice(0, n);
}

/** curl's reading of a Content-Length value: a number, 'invalid', or 'overflow' (ignored). */
function contentLengthValue(value: Buffer): number | 'invalid' | 'overflow' {
  let i = 0;
  while (isBlank(value[i])) i++;
  if (value[i] === 0x2d || isSpace(value[i])) return 'invalid';
  if (value[i] === 0x2b) i++;
  const start = i;
  while (isDigit(value[i])) i++;
  if (i === start) return 'invalid';
  const n = BigInt(value.subarray(start, i).toString('latin1'));
  return n > 0x7fffffffffffffffn ? 'overflow' : Number(n);
}

export interface ReaderEvents {
  /** Body bytes as they are decoded. */
  readonly onBody: (bytes: Buffer) => void;
}

/**
 * One response, fed as it arrives. `outcome` is set once the transfer is over: undefined
 * failure = success. `status` is what `-w '%{http_code}'` would print (0 = none yet).
 */
export class ResponseReader {
  status = 0;
  /** Body bytes delivered so far (curl's "bytes received"). */
  received = 0;
  /** The announced body size, when known (curl's "out of N"). */
  size: number | undefined;
  outcome: { readonly failure?: CurlFailure } | undefined;

  private phase: Phase = 'headers';
  private line: Buffer[] = [];
  private lineLength = 0;
  private headerLine = 0;
  private headerTotal = 0;
  /** Header bytes of the final response (those of 1xx responses do not count). */
  private headerBytes = 0;
  private chunked = false;
  /** The codings stacked so far, chunked aside, lowercase, in the order the headers name them. */
  private codings: string[] = [];
  /** A Transfer-Encoding without chunked: curl ignores Content-Length, the body ends at close. */
  private ignoreLength = false;
  /** What the first body byte meets (curl's writer stack), undefined when it passes through. */
  private codingFailure: CurlFailure | undefined;
  private chunk: ChunkState = 'hex';
  private hex = '';
  private chunkLeft = 0;
  private trailer = 0;

  constructor(private readonly events: ReaderEvents) {}

  private finish(failure?: CurlFailure): void {
    if (this.outcome) return;
    this.outcome = failure ? { failure } : {};
    this.phase = 'done';
  }

  private body(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.codingFailure) return this.finish(this.codingFailure);
    this.received += bytes.length;
    this.events.onBody(bytes);
  }

  feed(data: Buffer): void {
    let at = 0;
    while (at < data.length && !this.outcome) {
      if (this.phase === 'headers') at = this.headerBytesIn(data, at);
      else if (this.phase === 'length') {
        const left = (this.size as number) - this.received;
        const take = Math.min(left, data.length - at);
        this.body(data.subarray(at, at + take));
        at += take;
        if (this.received >= (this.size as number)) this.finish();
      } else if (this.phase === 'close') {
        this.body(data.subarray(at));
        at = data.length;
      } else if (this.phase === 'chunked') at = this.chunkBytesIn(data, at);
      else return;
    }
  }

  /** The connection closed: how curl ends the transfer there. */
  end(): void {
    if (this.outcome) return;
    // A status line cut short that cannot be one: curl's HTTP/0.9 check, also at the end.
    if (this.phase === 'headers' && this.headerLine === 0 && this.lineLength > 0 && !looksLikeHttp(Buffer.concat(this.line))) {
      return this.finish(fail(1, 'Received HTTP/0.9 when not allowed'));
    }
    if (this.headerBytes === 0 && this.received === 0) return this.finish(fail(52, 'Empty reply from server'));
    if (this.size !== undefined && !this.chunked && this.received !== this.size) {
      return this.finish(fail(18, `transfer closed with ${this.size - this.received} bytes remaining to read`));
    }
    if (this.chunked) return this.finish(fail(18, 'transfer closed with outstanding read data remaining'));
    this.finish();
  }

  private headerBytesIn(data: Buffer, from: number): number {
    const lf = data.indexOf(LF, from);
    const end = lf < 0 ? data.length : lf + 1;
    this.line.push(data.subarray(from, end));
    this.lineLength += end - from;
    if (this.lineLength >= MAX_HEADER_LINE) {
      this.finish(fail(27, 'Out of memory'));
      return end;
    }
    if (lf < 0) {
      if (this.headerLine === 0 && this.lineLength > 5 && !looksLikeHttp(Buffer.concat(this.line))) {
        this.finish(fail(1, 'Received HTTP/0.9 when not allowed'));
      }
      return end;
    }
    const line = Buffer.concat(this.line);
    this.line = [];
    this.lineLength = 0;
    this.takeLine(line);
    return end;
  }

  private takeLine(line: Buffer): void {
    if (this.headerLine === 0 && !looksLikeHttp(line)) return this.finish(fail(1, 'Received HTTP/0.9 when not allowed'));
    this.headerTotal += line.length;
    this.headerBytes += line.length;
    if (this.headerTotal > MAX_HEADER_TOTAL) {
      return this.finish(fail(56, `Too large response headers: ${this.headerTotal} > ${MAX_HEADER_TOTAL}`));
    }
    const first = line[0];
    if (this.headerLine > 0 && (first === CR || first === LF)) return this.endOfHeaders();
    const index = this.headerLine++;
    if (index === 0) {
      const read = readStatusLine(line);
      if (read.kind === 'refused') return this.finish(read.failure);
      this.status = read.status;
    }
    // Observed: a header line that starts with a NUL byte ends the transfer there, as if the
    // connection had closed (an announced length then counts as missing).
    if (index > 0 && first === 0) return this.end();
    if (line.includes(0)) return this.finish(fail(8, 'Nul byte in header'));
    if (index === 0) return;
    const folded = first === 0x20 || first === 0x09;
    if (!(folded && index > 1) && !line.includes(0x3a)) return this.finish(fail(8, 'Header without colon'));
    // A continuation line before any header: curl cannot attach it to anything.
    if (folded && index === 1) return this.finish(fail(43, 'A libcurl function was given a bad argument'));
    // curl ignores the framing headers of 1xx, 204 and 304 responses (they have no body).
    const bodyless = this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200);
    const lower = line.toString('latin1').toLowerCase();
    if (!bodyless && lower.startsWith('content-length:')) {
      const value = contentLengthValue(line.subarray('content-length:'.length));
      if (value === 'invalid') return this.finish(fail(8, 'Invalid Content-Length: value'));
      this.size = value === 'overflow' ? undefined : value;
    } else if (!bodyless && lower.startsWith('transfer-encoding:')) {
      for (const name of transferCodings(line.subarray('transfer-encoding:'.length))) {
        const coding = name.toLowerCase();
        if (coding === 'chunked') {
          this.chunked = true;
          continue;
        }
        this.codings.push(coding);
        if (this.codings.length > MAX_CODINGS)
          return this.finish(fail(61, `Reject response due to more than ${MAX_CODINGS} content encodings`));
      }
      if (!this.chunked) this.ignoreLength = true;
    }
  }

  /**
   * Body bytes go through the codings from the last named to the first: identity passes
   * them on, a coding curl does not know fails, a compression is D37.
   */
  private firstCodingFailure(): CurlFailure | undefined {
    for (const coding of [...this.codings].reverse()) {
      if (IDENTITY.has(coding)) continue;
      return COMPRESSIONS.has(coding) ? UNDECODED_CODING : UNKNOWN_CODING;
    }
    return undefined;
  }

  private endOfHeaders(): void {
    const status = this.status;
    if (status >= 100 && status < 200) {
      // A 1xx response (its framing headers were ignored): its header bytes are no reply.
      this.headerBytes = 0;
      // 101 (no upgrade was asked for): curl takes everything after it as the body, read to
      // the close, as it comes; nothing after it is an empty reply (52) with the code 101.
      if (status === 101) {
        this.phase = 'close';
        return;
      }
      // Any other: the next response follows.
      this.headerLine = 0;
      return;
    }
    if (status === 204 || status === 304) {
      this.size = 0;
      return this.finish();
    }
    this.codingFailure = this.firstCodingFailure();
    if (this.chunked) {
      this.size = undefined;
      this.phase = 'chunked';
      return;
    }
    if (this.ignoreLength) this.size = undefined;
    if (this.size !== undefined) {
      if (this.size === 0) return this.finish();
      this.phase = 'length';
      return;
    }
    this.phase = 'close';
  }

  private chunkBytesIn(data: Buffer, from: number): number {
    let at = from;
    while (at < data.length && !this.outcome) {
      const c = data[at] as number;
      switch (this.chunk) {
        case 'hex':
          if (isHex(c)) {
            if (this.hex.length >= 16) return (this.finish(chunkFailure('Too long hexadecimal number')), at);
            this.hex += String.fromCharCode(c);
            at++;
          } else {
            if (this.hex === '') return (this.finish(chunkFailure('Illegal or missing hexadecimal sequence')), at);
            const size = BigInt(`0x${this.hex}`);
            if (size > 0x7fffffffffffffffn) return (this.finish(chunkFailure('Illegal or missing hexadecimal sequence')), at);
            this.chunkLeft = Number(size);
            this.chunk = 'lf';
          }
          break;
        case 'lf':
          if (c === LF) this.chunk = this.chunkLeft === 0 ? 'trailer' : 'data';
          at++;
          break;
        case 'data': {
          const take = Math.min(this.chunkLeft, data.length - at);
          this.body(data.subarray(at, at + take));
          this.chunkLeft -= take;
          at += take;
          if (this.chunkLeft === 0) this.chunk = 'postlf';
          break;
        }
        case 'postlf':
          if (c === LF) {
            this.chunk = 'hex';
            this.hex = '';
          } else if (c !== CR) return (this.finish(chunkFailure('Malformed encoding found')), at);
          at++;
          break;
        case 'trailer':
          if (c === CR || c === LF) {
            if (this.trailer > 0) {
              this.trailer = 0;
              this.chunk = 'trailer-cr';
              if (c === LF) break;
            } else {
              this.chunk = 'trailer-postcr';
              break;
            }
          } else {
            this.trailer++;
          }
          at++;
          break;
        case 'trailer-cr':
          if (c !== LF) return (this.finish(chunkFailure('Malformed encoding found')), at);
          this.chunk = 'trailer-postcr';
          at++;
          break;
        case 'trailer-postcr':
          if (c !== CR && c !== LF) {
            this.chunk = 'trailer';
            break;
          }
          if (c === CR) at++;
          this.chunk = 'stop';
          break;
        case 'stop':
          if (c !== LF) return (this.finish(chunkFailure('Malformed encoding found')), at);
          this.finish();
          return at + 1;
      }
    }
    return at;
  }
}
