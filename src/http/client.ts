// The one outbound HTTP client of the port: the router's URL checks (contract §4 step 7) and
// the watcher's peer GETs and Telegram POSTs (§6 a). One exchange is bounded in time (like
// curl's --max-time) and in kept body size, and fails the way curl 7.88 fails: the originals
// run curl, so on a failure the port has curl's own error line to print (§6 a, "Notify").
// node:http, node:https, node:net and node:tls are loaded on the first request, never at
// import time: a router with no URLS starts as fast as `node -e 0`. Node builtins only.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { hostSecureContext } from './ca.ts';

/** Where a request goes and what it asks for, as sent on the wire. */
export interface RequestTarget {
  readonly https: boolean;
  /** Host name or address, IPv6 without brackets (also curl's name for it in messages). */
  readonly hostname: string;
  readonly port: number;
  /** The request target exactly as sent (path and query). */
  readonly path: string;
  /** `user:pass`, sent as Basic auth. */
  readonly auth?: string;
}

export interface Exchange {
  /** HTTP status, or 0 when no status line was read. */
  readonly status: number;
  /** The body kept (empty in discardBody mode). */
  readonly body: Buffer;
  /** The body went past maxBodyBytes and was cut there (the rest is not read). */
  readonly truncated: boolean;
  /** curl's error line (without newline) when the exchange failed, as `curl -sS` prints it. */
  readonly error?: string;
  /** From sending the request to the end of the exchange (curl's time_total). */
  readonly elapsedNs: bigint;
}

interface ExchangeCommon {
  readonly method: 'GET' | 'POST';
  /** Sent in this order with exactly these names (old routers match `Authorization: Basic `). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** Whole exchange, like curl's --max-time; 0 = unbounded (curl -m 0). */
  readonly timeoutMs: number;
  /** Body bytes kept; past this the exchange ends, marked truncated. */
  readonly maxBodyBytes: number;
  /** Read the body to its end but keep none of it (maxBodyBytes does not apply). */
  readonly discardBody?: boolean;
  /** Node's lenient response parser (curl accepts what the strict one refuses). */
  readonly insecureHTTPParser?: boolean;
  readonly signal?: AbortSignal;
}

/** A WHATWG URL (its normalised path is sent), or an explicit target the caller built. */
export type ExchangeOptions = ExchangeCommon & ({ readonly url: URL; readonly target?: never } | { readonly target: RequestTarget; readonly url?: never });

/**
 * curl 7.88 refuses a URL holding a space or a control character before connecting: the
 * line it prints then, or undefined for a URL it accepts.
 */
export function curlRejectsUrl(url: string): string | undefined {
  return /[\x00-\x20\x7f]/.test(url) ? 'curl: (3) URL using bad/illegal format or missing URL' : undefined;
}

/**
 * The target of a WHATWG URL, or curl's error line for a scheme it does not speak. The
 * userinfo of the URL is not sent (the watcher's URLs never carry one).
 */
export function urlTarget(url: URL): RequestTarget | string {
  const proto = url.protocol.slice(0, -1);
  if (proto !== 'http' && proto !== 'https') return `curl: (1) Protocol "${proto}" not supported or disabled in libcurl`;
  const https = proto === 'https';
  return {
    https,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port !== '' ? Number(url.port) : https ? 443 : 80,
    path: `${url.pathname}${url.search}`,
  };
}

interface Client {
  readonly request: typeof import('node:http').request;
  readonly isIP: (input: string) => number;
}

const loading: { http?: Promise<Client>; https?: Promise<Client> } = {};

/** The module's default export, the object nock and other interceptors patch. */
function loadClient(https: boolean): Promise<Client> {
  const key = https ? 'https' : 'http';
  loading[key] ??= (async () => {
    const lib = https ? (await import('node:https')).default : (await import('node:http')).default;
    const { isIP } = await import('node:net');
    return { request: lib.request, isIP } as Client;
  })();
  return loading[key] as Promise<Client>;
}

const nothing = Buffer.alloc(0);

export async function exchange(options: ExchangeOptions): Promise<Exchange> {
  const target = options.target ?? urlTarget(options.url);
  if (typeof target === 'string') return { status: 0, body: nothing, truncated: false, error: target, elapsedNs: 0n };
  const { request: send, isIP } = await loadClient(target.https);
  // Loading the client and building the CA store are not part of the transfer (time_total).
  const secureContext = target.https ? await hostSecureContext() : undefined;
  const { signal } = options;
  if (signal?.aborted) return { status: 0, body: nothing, truncated: false, error: 'aborted', elapsedNs: 0n };
  const started = process.hrtime.bigint();
  const elapsedNs = (): bigint => process.hrtime.bigint() - started;
  const elapsedMs = (): number => Number(elapsedNs() / 1_000_000n);

  return new Promise((resolve) => {
    let settled = false;
    let status = 0;
    let connected = false;
    let contentLength: number | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;

    let req: ClientRequest | undefined;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve({ status, body: Buffer.concat(chunks), truncated, ...(error !== undefined ? { error } : {}), elapsedNs: elapsedNs() });
    };
    const fail = (err: NodeJS.ErrnoException): void =>
      finish(curlErrorLine(err, target, elapsedMs(), connected, status !== 0, contentLength, received));

    const headers: Record<string, string> = {};
    for (const [name, value] of options.headers) headers[name] = value;
    try {
      req = send({
        host: target.hostname,
        port: target.port,
        path: target.path,
        ...(target.auth !== undefined ? { auth: target.auth } : {}),
        method: options.method,
        headers,
        agent: false,
        // curl accepts up to 100 KiB per header line; Node's default (16 KiB) is stricter.
        maxHeaderSize: 100 * 1024,
        ...(options.insecureHTTPParser ? { insecureHTTPParser: true } : {}),
        ...(secureContext ? { secureContext, ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}) } : {}),
      });
    } catch {
      // A header value Node refuses (a control character in PEERS_TOKEN, say): curl would
      // send it; nothing sensible can be sent, so the request fails like a bad argument.
      resolve({ status: 0, body: nothing, truncated: false, error: 'curl: (43) A libcurl function was given a bad argument', elapsedNs: elapsedNs() });
      return;
    }
    const request = req;

    const onAbort = (): void => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            const ms = elapsedMs();
            if (!connected) return finish(`curl: (28) Connection timed out after ${ms} milliseconds`);
            const of = status !== 0 && contentLength !== undefined ? ` out of ${contentLength}` : '';
            finish(`curl: (28) Operation timed out after ${ms} milliseconds with ${received}${of} bytes received`);
          }, options.timeoutMs)
        : undefined;

    request.on('socket', (socket: Socket) => {
      socket.once(target.https ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });

    request.on('response', (res: IncomingMessage) => {
      status = res.statusCode ?? 0;
      const length = res.headers['content-length'];
      contentLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
      res.on('data', (chunk: Buffer) => {
        if (options.discardBody) {
          received += chunk.length;
          return;
        }
        if (truncated) return;
        const room = options.maxBodyBytes - received;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          received += room;
          truncated = true;
          finish();
          return;
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => finish());
      res.on('aborted', () => {
        const left = contentLength !== undefined ? contentLength - received : undefined;
        finish(
          left !== undefined && left > 0
            ? `curl: (18) transfer closed with ${left} bytes remaining to read`
            : 'curl: (56) Recv failure: Connection reset by peer',
        );
      });
      res.on('error', fail);
    });

    request.on('error', fail);
    request.end(options.body);
  });
}

/** Maps a Node error to the line curl 7.88 prints for the same failure. */
export function curlErrorLine(
  err: NodeJS.ErrnoException,
  target: RequestTarget,
  ms: number,
  connected: boolean,
  gotStatus: boolean,
  contentLength: number | undefined,
  received: number,
): string {
  const code = err.code ?? '';
  const host = target.hostname;
  const port = target.port;
  const connectFailure = ['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
  if (connectFailure || (!connected && ['EADDRNOTAVAIL', 'ETIMEDOUT', 'EINVAL', 'EACCES', 'EPERM'].includes(code))) {
    return `curl: (7) Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `curl: (6) Could not resolve host: ${host}`;
  if (code === 'ECONNRESET' && err.message === 'socket hang up') {
    if (!gotStatus) return 'curl: (52) Empty reply from server';
    const left = contentLength !== undefined ? contentLength - received : undefined;
    if (left !== undefined && left > 0) return `curl: (18) transfer closed with ${left} bytes remaining to read`;
    return 'curl: (56) Recv failure: Connection reset by peer';
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'curl: (56) Recv failure: Connection reset by peer';
  if (code === 'HPE_HEADER_OVERFLOW') return 'curl: (27) Out of memory';
  if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_VERSION') {
    return 'curl: (1) Received HTTP/0.9 when not allowed';
  }
  if (code === 'HPE_INVALID_STATUS') return 'curl: (1) Unsupported response code in HTTP response';
  if (code === 'HPE_INVALID_CHUNK_SIZE') {
    return 'curl: (56) Illegal or missing hexadecimal sequence in chunked-encoding';
  }
  const tls = TLS_ERRORS[code];
  if (tls !== undefined) return `curl: (60) SSL certificate problem: ${tls}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `curl: (60) SSL: no alternative certificate subject name matches target host name '${host}'`;
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return `curl: (35) ${err.message}`;
  if (code.startsWith('ERR_INVALID') || code.startsWith('ERR_HTTP')) {
    return 'curl: (43) A libcurl function was given a bad argument';
  }
  return `curl: (56) Recv failure: ${err.message}`;
}

const TLS_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to get local issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
};
