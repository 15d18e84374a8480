// The request-head parser shared by `router` (stdin) and `probe` (sockets): pure and
// incremental, so a request split into 1-byte TCP segments parses exactly like one chunk.
// docs/behaviour.md §4 steps 2-3: the request line is read up to LF; header lines are read until an
// empty line, a line that is exactly CR, or EOF; a header line cut short by EOF is never read;
// the body is never read. Lines are kept as latin1 strings, so every byte survives unchanged,
// and read as dash's `read` reads them (src/compat/dash-read.ts: NUL bytes dropped), so that
// garbage containing NULs routes the way the originals route it.
import { readLine } from '../compat/dash-read.ts';

/** Longest request line accepted (bytes, LF excluded). Longer: answer 414 [D17]. */
export const MAX_REQUEST_LINE = 8 * 1024;
/** Largest header block accepted (bytes, line ends included). Larger: answer 431 [D17]. */
export const MAX_HEADER_BLOCK = 64 * 1024;

export interface RequestHead {
  readonly kind: 'head';
  /** The request line as read (latin1), LF removed; a CR before it stays (routing ignores it). */
  readonly requestLine: string;
  /** The token of the last `Authorization: Basic ` header, or '' when none was read. */
  readonly presentedToken: string;
}

export type ParseResult =
  | RequestHead
  /** EOF before a complete request line: the originals exit without writing anything. */
  | { readonly kind: 'no-request' }
  | { readonly kind: 'too-large'; readonly part: 'request-line' | 'headers' };

// D6: the header name (and the `Basic` scheme) match in any case; the shape stays the
// original's: one space after the colon, one after `Basic`.
const AUTHORIZATION = /^authorization: basic /i;

export class RequestHeadParser {
  private pending = '';
  private requestLine: string | null = null;
  private token = '';
  private headerBytes = 0;
  private result: ParseResult | null = null;

  /** Feeds bytes; returns the result once the head is complete, else null. */
  push(chunk: Buffer | string): ParseResult | null {
    if (this.result) return this.result;
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    // Only the new bytes can hold a new LF: scanning from there keeps 1-byte segments linear.
    let lf = text.indexOf('\n');
    if (lf < 0) {
      this.pending += text;
      return this.checkPendingSize();
    }
    let buffered = this.pending + text;
    lf += this.pending.length;
    let start = 0;
    while (lf >= 0) {
      const done = this.takeLine(buffered.slice(start, lf));
      if (done) return done;
      start = lf + 1;
      lf = buffered.indexOf('\n', start);
    }
    this.pending = buffered.slice(start);
    buffered = '';
    return this.checkPendingSize();
  }

  /** The peer closed its side: whatever is complete now is the request. */
  end(): ParseResult {
    if (this.result) return this.result;
    // A partial line at EOF is never read (the shell's `read` fails on it).
    this.pending = '';
    this.result =
      this.requestLine === null ? { kind: 'no-request' } : { kind: 'head', requestLine: this.requestLine, presentedToken: this.token };
    return this.result;
  }

  private takeLine(rawLine: string): ParseResult | null {
    if (this.requestLine === null) {
      if (rawLine.length > MAX_REQUEST_LINE) return this.finish({ kind: 'too-large', part: 'request-line' });
      this.requestLine = readLine(rawLine);
      return null;
    }
    this.headerBytes += rawLine.length + 1;
    if (this.headerBytes > MAX_HEADER_BLOCK) return this.finish({ kind: 'too-large', part: 'headers' });
    const line = readLine(rawLine);
    if (line === '' || line === '\r') {
      return this.finish({ kind: 'head', requestLine: this.requestLine, presentedToken: this.token });
    }
    if (AUTHORIZATION.test(line)) {
      // Contract: the rest of the line with CR and LF removed; the last such header wins.
      this.token = line.slice('authorization: basic '.length).split('\r').join('');
    }
    return null;
  }

  /** A line still without its LF can already be too long: stop buffering it. */
  private checkPendingSize(): ParseResult | null {
    if (this.requestLine === null) {
      if (this.pending.length > MAX_REQUEST_LINE) return this.finish({ kind: 'too-large', part: 'request-line' });
    } else if (this.headerBytes + this.pending.length > MAX_HEADER_BLOCK) {
      return this.finish({ kind: 'too-large', part: 'headers' });
    }
    return null;
  }

  private finish(result: ParseResult): ParseResult {
    this.result = result;
    this.pending = '';
    return result;
  }
}

/** Parses a complete byte string as if it were all the peer ever sent (then EOF). */
export function parseRequestHead(bytes: Buffer | string): ParseResult {
  const parser = new RequestHeadParser();
  return parser.push(bytes) ?? parser.end();
}
