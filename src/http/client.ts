// The one outbound HTTP client of the port: the router's URL checks (docs/behaviour.md §4 step 7) and
// the watcher's peer GETs and Telegram POSTs (§6 a). The originals run curl 7.88 for all of
// them, so a request is the one curl sends for the same URL (src/compat/curl-url.ts), the response
// is read as curl reads it (src/compat/curl-response.ts) and a failure is curl's
// (src/compat/curl-errors.ts), over a plain node:net / node:tls socket.
// One request is bounded in time (like curl's --max-time) and in kept body size; a failure
// carries the text `curl -sS` prints for it. node:net and node:tls are loaded on the first
// request, never at import time: a router with no URLS starts as fast as `node -e 0`.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { curlErrorText, greetingClosedFailure, socketFailure, timeoutFailure, type CurlFailure } from '../compat/curl-errors.ts';
import { CURL_LOCALHOST, isCurlLocalhost, readTarget, requestHead, type RequestTarget } from '../compat/curl-url.ts';
import { isUtf8Locale, localeInstalled, type LocaleEnv } from '../compat/glibc-locale.ts';
import { hostSecureContext } from './ca.ts';
import { ResponseReader } from '../compat/curl-response.ts';

/** What a transfer read, failed or not. */
export interface Transfer {
  /** What curl's `-w '%{http_code}'` would print, as a number (0 when no status line was read). */
  readonly status: number;
  /** The body kept (empty in discardBody mode). */
  readonly body: Buffer;
  /** The body went past maxBodyBytes and was cut there (the rest is not read). */
  readonly truncated: boolean;
  /** From sending the request to the end of the transfer (curl's time_total). */
  readonly elapsedNs: bigint;
  /**
   * https: the `valid_to` of the certificate the server presented (the leaf), once the
   * handshake verified it (CERT_DAYS, docs/behaviour.md §10); absent before that.
   */
  readonly certValidTo?: string;
}

/**
 * What a remote server sent back: the transfer complete, or failed with curl's failure and the
 * text `curl -sS` prints for it (lines without the final newline). A failed transfer keeps what
 * it read (the status line may have come before the failure).
 */
export type Reply =
  | (Transfer & { readonly kind: 'complete' })
  | (Transfer & { readonly kind: 'failed'; readonly failure: CurlFailure; readonly error: string });

export interface SendOptions {
  /** The URL as the originals pass it to curl (read by src/compat/curl-url.ts's readTarget). */
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** Sent after curl's own Host, User-Agent and Accept, in this order (curl's -H). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** Whole transfer, like curl's --max-time; 0 = unbounded (curl -m 0). */
  readonly timeoutMs: number;
  /** Body bytes kept; past this the transfer ends, marked truncated. */
  readonly maxBodyBytes: number;
  /** Read the body to its end but keep none of it (maxBodyBytes does not apply). */
  readonly discardBody?: boolean;
}

interface Net {
  readonly net: typeof import('node:net');
  readonly tls: typeof import('node:tls');
}

let loading: Promise<Net> | undefined;
function loadNet(): Promise<Net> {
  loading ??= Promise.all([import('node:net'), import('node:tls')]).then(([net, tls]) => ({ net: net.default, tls: tls.default }));
  return loading;
}

const nothing = Buffer.alloc(0);

/** A transfer that failed before any byte of a response: curl's failure and its text. */
export function failed(failure: CurlFailure, elapsedNs = 0n): Reply {
  return { kind: 'failed', status: 0, body: nothing, truncated: false, failure, error: curlErrorText(failure), elapsedNs };
}

/** The Reply of a transfer that ended, with curl's failure when it failed. */
export function ended(transfer: Transfer, failure?: CurlFailure): Reply {
  return failure ? { ...transfer, kind: 'failed', failure, error: curlErrorText(failure) } : { ...transfer, kind: 'complete' };
}

/** The body bytes a transfer keeps: up to maxBodyBytes (then it is cut there), none when discarding. */
export class KeptBody {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** The body went past maxBodyBytes: the transfer ends, marked truncated. */
  truncated = false;

  constructor(private readonly options: Pick<SendOptions, 'maxBodyBytes' | 'discardBody'>) {}

  add(bytes: Buffer): void {
    if (this.options.discardBody || this.truncated) return;
    const room = this.options.maxBodyBytes - this.kept;
    const keep = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.chunks.push(keep);
    this.kept += keep.length;
    if (keep !== bytes) this.truncated = true;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

let localeEnv: LocaleEnv = {};
let utf8: boolean | undefined;

/** Called by an entry point with the locale variables (src/env.ts): curl's IDN needs them. */
export function useLocale(env: LocaleEnv): void {
  localeEnv = env;
  utf8 = undefined;
}

/** Decided once, on the first URL whose host has non-ASCII bytes (it reads locale files). */
function utf8Locale(): boolean {
  utf8 ??= isUtf8Locale(localeEnv, localeInstalled(localeEnv));
  return utf8;
}

/** curl's own answer for localhost and *.localhost (127.0.0.1 then ::1), in node's lookup form. */
function curlLocalhostLookup(
  _host: string,
  options: { readonly all?: boolean },
  callback: (error: null, address: string | { address: string; family: number }[], family?: number) => void,
): void {
  if (options.all)
    callback(
      null,
      CURL_LOCALHOST.map(([address, family]) => ({ address, family })),
    );
  else callback(null, CURL_LOCALHOST[0]?.[0] as string, 4);
}

export async function send(options: SendOptions): Promise<Reply> {
  const reading = readTarget(options.url, { utf8Locale });
  if (reading.kind === 'refused') return failed(reading.failure);
  const { target } = reading;
  const { net, tls } = await loadNet();
  if (target.greeting !== undefined) return awaitGreeting(net, target, options.timeoutMs);
  // Building the CA store is not part of the transfer (time_total).
  const secureContext = target.https ? await hostSecureContext() : undefined;
  const started = process.hrtime.bigint();
  const elapsedNs = (): bigint => process.hrtime.bigint() - started;
  const elapsedMs = (): number => Number(elapsedNs() / 1_000_000n);
  const head = requestHead(target, options.method, options.headers ?? [], options.body ? options.body.length : undefined);

  return new Promise((resolve) => {
    const body = new KeptBody(options);
    let connected = false;
    let settled = false;
    let certValidTo: string | undefined;
    const reader = new ResponseReader({ onBody: (bytes) => body.add(bytes) });
    const finish = (failure?: CurlFailure): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      const transfer = { status: reader.status, body: body.bytes, truncated: body.truncated, elapsedNs: elapsedNs() };
      resolve(ended(certValidTo === undefined ? transfer : { ...transfer, certValidTo }, failure));
    };
    const settle = (): void => {
      if (reader.outcome) finish(reader.outcome.failure);
      else if (body.truncated) finish();
    };
    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            finish(timeoutFailure(elapsedMs(), connected, reader.received, reader.size));
          }, options.timeoutMs)
        : undefined;

    const host = target.hostname;
    // A zone matters only to a link-local address (fe80::/10); curl ignores it elsewhere.
    const address = target.zone !== undefined && /^fe[89ab]/i.test(host) ? `${host}%${target.zone}` : host;
    const common = { host: address, port: target.port, ...(isCurlLocalhost(host) ? { lookup: curlLocalhostLookup } : {}) };
    const socket: Socket = target.https
      ? tls.connect({ ...common, secureContext, ...(net.isIP(host) === 0 ? { servername: host } : {}) })
      : net.connect(common);
    socket.once(target.https ? 'secureConnect' : 'connect', () => {
      connected = true;
      if (target.https) certValidTo = (socket as TLSSocket).getPeerCertificate().valid_to;
      socket.write(options.body ? Buffer.concat([head, options.body]) : head);
    });
    socket.on('data', (data: Buffer) => {
      reader.feed(data);
      settle();
    });
    socket.on('end', () => {
      reader.end();
      settle();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      // A reset is curl's failed recv() (56) wherever the transfer was.
      finish(socketFailure(err, { host, port: target.port, ms: elapsedMs(), connected }));
    });
    socket.on('close', () => {
      if (settled) return;
      reader.end();
      settle();
    });
  });
}

/** What a POST of one body needs beside its URL, its type and its bytes. */
export interface PostLimits {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
}

/**
 * One body POSTed with its Content-Type, the way the watcher's curl calls post (Telegram's form,
 * webhooks' and Alertmanager's JSON); `transport` lets the unit tests answer instead of a server.
 */
export function post(
  url: string,
  contentType: string,
  body: Buffer,
  limits: PostLimits,
  transport: (request: SendOptions) => Promise<Reply> = send,
): Promise<Reply> {
  return transport({ url, method: 'POST', headers: [['Content-Type', contentType]], body, ...limits });
}

/**
 * What curl does for FTP, IMAP, POP3 and SMTP up to the server's greeting: connect, send
 * nothing, read. A probe says nothing before it has read a request, so curl waits until
 * --max-time (28, `Operation timed out after N milliseconds with 0 bytes received`) or until
 * the probe's idle limit closes the connection (56, greetingClosedFailure). Bytes the server
 * sends are read and left aside: the port speaks none of these protocols (D39). Code 000.
 */
function awaitGreeting(net: Net['net'], target: RequestTarget, timeoutMs: number): Promise<Reply> {
  const started = process.hrtime.bigint();
  const elapsedNs = (): bigint => process.hrtime.bigint() - started;
  const elapsedMs = (): number => Number(elapsedNs() / 1_000_000n);
  return new Promise((resolve) => {
    const { hostname: host, port } = target;
    let connected = false;
    let received = 0;
    let settled = false;
    const finish = (failure: CurlFailure): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      resolve(failed(failure, elapsedNs()));
    };
    const timer = timeoutMs > 0 ? setTimeout(() => finish(timeoutFailure(elapsedMs(), connected, 0, undefined)), timeoutMs) : undefined;
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      connected = true;
    });
    socket.on('data', (data: Buffer) => {
      received += data.length;
    });
    socket.on('end', () => finish(greetingClosedFailure(received)));
    socket.on('close', () => finish(greetingClosedFailure(received)));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(socketFailure(err, { host, port, ms: elapsedMs(), connected })));
  });
}
